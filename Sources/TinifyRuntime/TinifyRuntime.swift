// TinifyRuntime: see the files beside this one.
