// tinify-bench: benchmarks beside their Python anchors.
print("tinify-bench")
