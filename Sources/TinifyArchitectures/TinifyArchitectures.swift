// TinifyArchitectures: see the files beside this one.
