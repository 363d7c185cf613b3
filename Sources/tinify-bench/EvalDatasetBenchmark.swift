// tinify-bench eval-dataset: the whole `tinify eval --json --checkpoint CKPT DIR` run (real coding:
// compress and decompress every image, PSNR and MS-SSIM) beside the whole
// `python3 -m compressai.utils.eval_model checkpoint DIR -a ARCH -p CKPT --no-update` run on the
// same images, in the same session: a hyperprior and an autoregressive model at zoo size
// (quality 3) on 768×512 photographs. Goals (issue 12): the autoregressive model at least 10×
// faster than CompressAI's, the hyperprior at least 2×. Both tools run as their users run them:
// eval_model sets one torch thread; tinify uses every core (--jobs default), and its --jobs 1
// figure is printed too.
import Foundation

struct EvalDatasetBenchmark: Benchmark {
    let name = "eval-dataset"
    let summary = "tinify eval (real coding, whole run) vs compressai.utils.eval_model on 768x512 photographs [--arch NAME] [--images N]"
    let options = ["arch", "images"]

    /// Writes N 768×512 photographs: scikit-image's pictures resized (Lanczos), else noisy gradients.
    static let datasetScript = """
    import os, sys, numpy as np
    from PIL import Image
    out, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    try:
        import skimage, os.path as p
        d = p.join(p.dirname(skimage.__file__), 'data')
        names = ['astronaut.png', 'coffee.png', 'chelsea.png', 'motorcycle_left.png', 'rocket.jpg', 'hubble_deep_field.jpg']
        photos = [Image.open(p.join(d, f)).convert('RGB') for f in names]
    except Exception:
        photos = []
    for i in range(n):
        path = os.path.join(out, f'image-{i:02d}.png')
        if photos:
            im = photos[i % len(photos)].resize((768, 512), Image.LANCZOS)
        else:
            r = np.random.default_rng(i); y, x = np.mgrid[0:512, 0:768]
            a = np.stack([x / 768, y / 512, (x + y) / 1280], -1) * 200 + r.integers(0, 55, (512, 768, 3))
            im = Image.fromarray(a.clip(0, 255).astype('uint8'))
        im.save(path)
    """

    func run(_ options: BenchOptions) throws -> [Comparison] {
        guard Python.has(["torch", "compressai", "PIL", "pytorch_msssim"]) else {
            throw BenchError("torch, compressai, pillow and pytorch_msssim are not importable by python3: the anchor (eval_model) cannot run")
        }
        let count = Int(options["images"] ?? "4") ?? 4
        let folder = ZooCheckpoint.directory + "/dataset-768x512-\(count)"
        if !FileManager.default.fileExists(atPath: folder + "/image-00.png") {
            _ = try Python.run(Self.datasetScript, [folder, String(count)])
        }
        let tinify = try Timing.sibling("tinify")
        let archs = options["arch"].map { [$0] } ?? ["bmshj2018-hyperprior", "mbt2018"]
        var out: [Comparison] = []
        for arch in archs {
            let checkpoint = try ZooCheckpoint.path(arch, quality: 3)
            let runs = try options.runs(1)
            let (ours, theirs) = try Timing.interleaved(runs: runs, ours: {
                try Timing.spawn(tinify, ["eval", "--json", "--checkpoint", checkpoint, folder])
            }, anchor: {
                try Timing.spawn("/usr/bin/env", ["python3", "-m", "compressai.utils.eval_model", "checkpoint", folder,
                                                  "-a", arch, "-p", checkpoint, "--no-update"])
            })
            let single = try Timing.spawn(tinify, ["eval", "--json", "--jobs", "1", "--checkpoint", checkpoint, folder])
            var comparison = Comparison(title: "eval-dataset \(arch) quality 3, \(count) images 768x512 (real coding)",
                                        tinify: Timing.figure("tinify eval (whole run, all cores)", ours),
                                        anchor: Timing.figure("eval_model --no-update (whole run)", theirs))
            let ratio = comparison.anchor.seconds / comparison.tinify.seconds
            let goal = arch == "mbt2018" || arch.hasPrefix("cheng2020") ? 10.0 : 2.0
            comparison.notes = [String(format: "tinify eval --jobs 1 (one image at a time)  %8.2f ms   (%.1fx faster than eval_model)",
                                       single * 1000, comparison.anchor.seconds / single),
                                String(format: "speed-up %.1fx (goal: at least %.0fx) %@", ratio, goal, ratio >= goal ? "met" : "NOT met")]
            out.append(comparison)
        }
        return out
    }
}
