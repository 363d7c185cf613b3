// TinifySafetensors: see the files beside this one.
