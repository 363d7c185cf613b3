// TinifyTorchWriter: see the files beside this one.
