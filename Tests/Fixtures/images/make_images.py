#!/usr/bin/env python3
"""Writes the image-reading fixtures and expected.json (ImageReadingTests reads them).

Usage: python3 make_images.py [OUTDIR]   (default: this script's folder)

Needs Pillow and numpy. Deterministic: the same Pillow/libjpeg-turbo writes the same bytes.
PNGs are built chunk by chunk here (zlib + hand-made chunks), so every colour type and bit
depth exists, rows use all five filter types and Adam7 is real; JPEGs are written by Pillow.

expected.json maps each file name to what `Image.open(path).convert("RGB")` gives:
  {"width", "height", "sha256"}  (sha256 of the RGB bytes, rows top to bottom, HWC order)
  or {"error": "<Pillow's exception>"};
and, for files Tinify refuses on purpose although Pillow reads them, "refuse": a substring of
Tinify's error message. "about" says what the file is.
"""
import hashlib
import io
import json
import os
import struct
import sys
import warnings
import zlib

import numpy as np
from PIL import Image

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
FILES = {}  # name -> (bytes, about, refuse or None)


# MARK: - PNG writing

def chunk(kind, data, crc=None):
    """A PNG chunk: length, type, data, CRC-32 (or the given, wrong, CRC)."""
    body = kind + data
    value = zlib.crc32(body) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(data)) + body + struct.pack(">I", value)


def pack_row(samples, depth):
    """One row of samples (flat ints) as bytes: MSB-first bit packing below 8 bits."""
    if depth == 16:
        return b"".join(struct.pack(">H", int(v)) for v in samples)
    if depth == 8:
        return bytes(int(v) for v in samples)
    per = 8 // depth
    out = bytearray()
    for i in range(0, len(samples), per):
        byte = 0
        group = list(samples[i:i + per]) + [0] * (per - len(samples[i:i + per]))
        for v in group:
            byte = (byte << depth) | int(v)
        out.append(byte)
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_rows(rows, bpp):
    """Filters every row, cycling through None, Sub, Up, Average and Paeth."""
    out = bytearray()
    prev = bytes(len(rows[0])) if rows else b""
    for y, row in enumerate(rows):
        kind = y % 5
        f = bytearray(len(row))
        for i, x in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            predictor = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
            f[i] = (x - predictor) & 0xFF
        out.append(kind)
        out += f
        prev = row
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(samples, color_type, depth, interlace=False, palette=None, before_idat=(), after_idat=(), idat_crc=None):
    """A PNG of `samples` (H×W×C ints already in the file's range); `before_idat` chunks go
    right after IHDR (before PLTE), `after_idat` ones between the image data and IEND."""
    h, w, c = samples.shape
    bpp = max(1, c * depth // 8)

    def image_data(sub):
        rows = [pack_row(sub[y].reshape(-1), depth) for y in range(sub.shape[0])]
        return filter_rows(rows, bpp) if rows and rows[0] else b""

    if interlace:
        raw = b"".join(image_data(samples[y0::dy, x0::dx]) for x0, y0, dx, dy in ADAM7)
    else:
        raw = image_data(samples)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, int(interlace)))
    for kind, data in before_idat:
        out += chunk(kind, data)
    if palette is not None:
        out += chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1)))
    z = zlib.compress(raw, 9)
    half = len(z) // 2  # two IDAT chunks: the stream crosses a chunk boundary
    out += chunk(b"IDAT", z[:half], crc=idat_crc) + chunk(b"IDAT", z[half:])
    for kind, data in after_idat:
        out += chunk(kind, data)
    return out + chunk(b"IEND", b"")


def add(name, data, about, refuse=None):
    FILES[name] = (data, about, refuse)


rng = np.random.RandomState(2024)
W, H = 13, 11  # odd sizes: partial bytes at the end of packed rows, uneven Adam7 passes

# Every colour type at every legal depth, plain and Adam7.
for color_type, depths, channels in [(0, [1, 2, 4, 8, 16], 1), (2, [8, 16], 3), (3, [1, 2, 4, 8], 1),
                                     (4, [8, 16], 2), (6, [8, 16], 4)]:
    for depth in depths:
        top = (1 << depth) - 1
        samples = rng.randint(0, top + 1, size=(H, W, channels))
        if color_type == 0 and depth == 16:
            # Pillow clips 16-bit grey to 255 (mode I;16 → RGB): half the samples below 300.
            small = rng.randint(0, 300, size=(H, W, 1))
            samples = np.where(rng.rand(H, W, 1) < 0.5, small, samples)
        palette = None
        if color_type == 3:
            palette = rng.randint(0, 256, size=(1 << depth, 3))
        for interlace in (False, True):
            name = f"png-c{color_type}-d{depth}{'-adam7' if interlace else ''}.png"
            add(name, png(samples, color_type, depth, interlace, palette),
                f"colour type {color_type}, {depth}-bit{', Adam7' if interlace else ''}")

# Palette and grey with tRNS (ignored), gAMA 1.0, sRGB, cHRM, iCCP and text (all ignored).
samples = rng.randint(0, 16, size=(H, W, 1))
pal = rng.randint(0, 256, size=(16, 3))
def png_with(samples, color_type, depth, palette, ancillary):
    """A PNG with ancillary chunks placed where the spec puts them (tRNS after PLTE)."""
    data = png(samples, color_type, depth, palette=palette)
    # Insert the chunks right before the first IDAT (after PLTE, as tRNS must be).
    at = data.index(b"IDAT") - 4
    return data[:at] + b"".join(chunk(k, d) for k, d in ancillary) + data[at:]
add("png-palette-trns.png", png_with(samples, 3, 4, pal, [(b"tRNS", bytes(range(0, 240, 16)))]),
    "4-bit palette with a tRNS alpha per entry (ignored)")
add("png-palette-short.png", png_with(samples, 3, 4, pal[:10], []),
    "4-bit palette of 10 entries, indices up to 15 (out of range)")
grey = rng.randint(0, 256, size=(H, W, 1))
add("png-grey-trns.png", png_with(grey, 0, 8, None, [(b"tRNS", struct.pack(">H", int(grey[0, 0, 0])))]),
    "8-bit grey with a tRNS colour key (ignored)")
rgb = rng.randint(0, 256, size=(H, W, 3))
add("png-rgb-trns.png", png_with(rgb, 2, 8, None, [(b"tRNS", struct.pack(">HHH", *[int(v) for v in rgb[0, 0]]))]),
    "8-bit RGB with a tRNS colour key (ignored)")
add("png-gama-1.png", png_with(rgb, 2, 8, None, [(b"gAMA", struct.pack(">I", 100000))]),
    "gAMA 1.0: no gamma correction is applied")
add("png-gama-045-srgb-chrm.png",
    png_with(rgb, 2, 8, None, [(b"gAMA", struct.pack(">I", 45455)), (b"cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000)),
                               (b"sRGB", b"\x00")]),
    "gAMA, cHRM and sRGB (ignored)")
add("png-iccp-text.png",
    png_with(rgb, 2, 8, None, [(b"iCCP", b"fake\x00\x00" + zlib.compress(b"not really a profile" * 4)),
                               (b"tEXt", b"Comment\x00hello"), (b"zTXt", b"Title\x00\x00" + zlib.compress(b"x" * 50))]),
    "iCCP (not a valid profile), tEXt and zTXt (ignored)")
rgb16 = rng.randint(0, 65536, size=(H, W, 3))
add("png-rgb16-adam7-gama.png", png(rgb16, 2, 16, True, before_idat=[(b"gAMA", struct.pack(">I", 100000))]),
    "16-bit RGB, Adam7, gAMA 1.0")
tiny = rng.randint(0, 256, size=(1, 1, 3))
add("png-1x1.png", png(tiny, 2, 8), "one pixel")
add("png-1x1-adam7.png", png(tiny, 2, 8, True), "one pixel, Adam7 (six empty passes)")
wide = rng.randint(0, 4, size=(3, 70, 1))
add("png-c0-d2-70x3-adam7.png", png(wide, 0, 2, True), "2-bit grey 70×3, Adam7")
add("png-no-iend.png", png(rgb, 2, 8)[:-12], "no IEND chunk")
add("png-trailing-garbage.png", png(rgb, 2, 8) + b"garbage after IEND", "bytes after IEND")
add("png-text-after-idat.png", png(rgb, 2, 8, after_idat=[(b"tEXt", b"Comment\x00after")]), "a tEXt chunk after IDAT")

# MARK: - Hostile PNGs

good = png(rgb, 2, 8)
idat = good.index(b"IDAT")
add("hostile-png-truncated-idat.png", good[:idat + 30], "cut inside the first IDAT")
add("hostile-png-truncated-header.png", good[:20], "cut inside IHDR")
add("hostile-png-empty.png", b"", "an empty file")
add("hostile-png-signature-only.png", good[:8], "the signature alone")
add("hostile-png-bad-crc-ihdr.png", good[:29] + bytes([good[29] ^ 0xFF]) + good[30:], "IHDR with a wrong CRC")
add("hostile-png-bad-crc-idat.png", png(rgb, 2, 8, idat_crc=0x12345678), "the first IDAT with a wrong CRC")
add("hostile-png-bad-crc-ancillary.png",
    (lambda d: d[:d.index(b"IDAT") - 4] + chunk(b"tEXt", b"Comment\x00x", crc=1) + d[d.index(b"IDAT") - 4:])(png(rgb, 2, 8)),
    "a tEXt chunk before IDAT with a wrong CRC")
add("hostile-png-100000x100000.png",
    b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""),
    "a header claiming 100000×100000 pixels")
add("hostile-png-9000x9000.png",
    b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 9000, 9000, 8, 0, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""),
    "9000×9000 grey (81 M pixels, over 2^26), data for the first rows only")
add("hostile-png-bad-zlib.png",
    (lambda d, i: d[:i + 4] + b"\x78\x9c\xff\xff\xff\xff" + d[i + 10:])(good, idat),
    "a corrupt deflate stream (CRCs left wrong too)")
add("hostile-png-bad-colour-type.png",
    b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 5, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b""),
    "colour type 5 (not defined)")
# Pillow reads these two as black pixels; Tinify refuses them as corrupt.
add("hostile-png-palette-missing-plte.png", png(rng.randint(0, 4, size=(H, W, 1)), 3, 2), "colour type 3 without PLTE",
    refuse="missing plte")
add("hostile-png-short-data.png",
    b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(3 * W))) + chunk(b"IEND", b""),
    "a complete zlib stream holding one row of eleven (Pillow: ten rows of zeros)", refuse="not enough image data")


def png_stream(z):
    """An 8-bit RGB PNG of `rgb` whose single IDAT holds `z`."""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", z) + chunk(b"IEND", b""))


stream = zlib.compress(filter_rows([pack_row(rgb[y].reshape(-1), 8) for y in range(H)], 3), 9)
add("hostile-png-bad-adler.png", png_stream(stream[:-4] + b"\0\0\0\0"), "the zlib stream's Adler-32 is wrong")
# Pillow stops at the last row, and reads these (Tinify too).
add("png-cut-adler.png", png_stream(stream[:-2]), "the zlib stream ends inside its Adler-32")
add("png-no-adler.png", png_stream(stream[:-4]), "the zlib stream's deflate data complete, no Adler-32")
add("png-bad-chunk-after-idat.png", png_stream(stream)[:-12] + b"\0\0\0\0IE\x01D\xae\x42\x60\x82",
    "an invalid chunk type after the image data")
add("png-extra-zlib-data.png",
    png_stream(zlib.compress(filter_rows([pack_row(rgb[y].reshape(-1), 8) for y in range(H)], 3) + bytes(40), 9)),
    "40 bytes of image data past the last row (ignored)")
add("png-many-idat.png",
    (lambda d: d[:d.index(b"IDAT") - 4] + chunk(b"IDAT", b"") + b"".join(chunk(b"IDAT", stream[i:i + 1]) for i in range(len(stream)))
     + chunk(b"IEND", b""))(png_stream(stream)),
    "an empty IDAT, then one IDAT per byte of the stream")
add("hostile-not-an-image.png", b'{"this": "is json"}\n', "JSON, named .png")

# MARK: - JPEG

def smooth_image(w, h, seed):
    """A photo-like RGB image: gradients plus noise (compresses well, has chroma detail)."""
    r = np.random.RandomState(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255 / w, y * 255 / h, (x + y) * 127 / (w + h) + 64], axis=-1)
    img = base + r.normal(0, 20, size=(h, w, 3))
    img[h // 3:h // 2, w // 4:w // 2] = [220, 30, 40]  # a sharp red block: chroma edges
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def jpeg(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


photo = smooth_image(45, 37, 7)  # not a multiple of the MCU in either direction
add("jpeg-420.jpg", jpeg(photo, quality=85, subsampling=2), "baseline 4:2:0, 45×37")
add("jpeg-444.jpg", jpeg(photo, quality=85, subsampling=0), "baseline 4:4:4")
add("jpeg-422.jpg", jpeg(photo, quality=85, subsampling=1), "baseline 4:2:2")
add("jpeg-grey.jpg", jpeg(photo.convert("L"), quality=85), "greyscale (replicated to RGB)")
add("jpeg-progressive.jpg", jpeg(photo, quality=85, progressive=True), "progressive 4:2:0")
add("jpeg-progressive-444.jpg", jpeg(photo, quality=85, progressive=True, subsampling=0), "progressive 4:4:4")
add("jpeg-restart.jpg", jpeg(smooth_image(64, 48, 8), quality=70, restart_marker_blocks=1), "restart markers after every MCU")
add("jpeg-optimized.jpg", jpeg(smooth_image(33, 17, 9), quality=95, optimize=True), "optimised Huffman tables")
exif = Image.Exif()
exif[0x0112] = 6  # orientation: rotate 90° CW to display (not applied)
add("jpeg-exif-orientation.jpg", jpeg(photo, quality=85, exif=exif.tobytes()), "EXIF orientation 6 (not applied)")
add("jpeg-1x1.jpg", jpeg(smooth_image(1, 1, 10), quality=90), "one pixel")
add("jpeg-cmyk.jpg", jpeg(photo.convert("CMYK"), quality=90), "CMYK (Adobe)", refuse="cmyk")

# MARK: - Hostile JPEGs

base = jpeg(photo, quality=85, subsampling=2)
sos = base.index(b"\xff\xda")
add("hostile-jpeg-truncated-scan.jpg", base[:sos + (len(base) - sos) // 2], "cut in the middle of the scan")
add("hostile-jpeg-no-eoi.jpg", base[:-2], "the scan complete, EOI missing (the last MCUs need it)")
add("jpeg-garbage-after-scan.jpg", base[:-2] + b"\xff\xe4\xff\x00" + bytes(20),
    "an APP4 marker claiming 65 KB after the scan, where the file ends (not read)")
add("hostile-jpeg-truncated-header.jpg", base[:sos - 40], "cut inside the headers")
prog = jpeg(photo, quality=85, progressive=True)
scans = [i for i in range(len(prog) - 1) if prog[i] == 0xFF and prog[i + 1] == 0xDA]
add("hostile-jpeg-progressive-truncated.jpg", prog[:scans[len(scans) // 2] + 20], "progressive, cut after half its scans")
# The scan bomb: the last (AC refinement) scan repeated until the file holds 400 scans; each
# repeat is legal to parse, and each costs a pass over the whole coefficient buffer.
small = jpeg(smooth_image(8, 8, 11), quality=50, progressive=True)
small_scans = [i for i in range(len(small) - 1) if small[i] == 0xFF and small[i + 1] == 0xDA]
last = small[small_scans[-1]:-2]
add("hostile-jpeg-scan-bomb.jpg", small[:-2] + last * (400 - len(small_scans)) + b"\xff\xd9",
    "progressive 8×8 with 400 scans (its last scan repeated)", refuse="scans")
sof = base.index(b"\xff\xc0")
add("hostile-jpeg-65000x65000.jpg", base[:sof + 5] + struct.pack(">HH", 65000, 65000) + base[sof + 9:],
    "SOF claiming 65000×65000 pixels")
add("hostile-jpeg-12-bit.jpg", base[:sof + 4] + b"\x0c" + base[sof + 5:], "SOF0 declaring 12-bit samples")
add("hostile-jpeg-garbage-scan.jpg", base[:sos + 20] + bytes(rng.randint(0, 255, size=len(base) - sos - 22).astype(np.uint8)) + b"\xff\xd9",
    "random bytes (no 0xFF) in place of the entropy-coded data")


# MARK: - Expected results

def pil_result(path):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                rgb = np.asarray(im.convert("RGB"))
    except Exception as e:  # every failure of Pillow's counts as "error"
        return {"error": f"{type(e).__name__}: {e}"}
    return {"width": rgb.shape[1], "height": rgb.shape[0], "sha256": hashlib.sha256(rgb.tobytes()).hexdigest()}


expected = {}
for name, (data, about, refuse) in sorted(FILES.items()):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(data)
    entry = {"about": about, **pil_result(path)}
    if refuse:
        entry["refuse"] = refuse
    expected[name] = entry
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
print(f"wrote {len(FILES)} files to {OUT}")
