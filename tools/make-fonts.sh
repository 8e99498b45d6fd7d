#!/usr/bin/env bash
# tools/make-fonts.sh — rebuild the bundled Chinese fonts in assets/fonts/.
#
# Why: egui's built-in fonts have no CJK glyphs and target machines may have no
# system CJK font, so TurnChat bundles a subset of Noto Sans CJK SC that covers
# every character a two-byte GBK sequence can decode to (plus common
# punctuation blocks), and a tiny fallback font for the few such characters that
# Noto Sans CJK SC lacks (U+2252 "≒").
#
# Outputs (overwritten on every run; the script is re-runnable and, for the same
# input package versions, produces byte-identical files):
#   assets/fonts/NotoSansCJKsc-GBK.otf      subset of "Noto Sans CJK SC" Regular
#                                           (CFF outlines) from Debian fonts-noto-cjk
#   assets/fonts/NotoSansMath-GBKextra.ttf  subset of "Noto Sans Math" Regular
#                                           from Debian fonts-noto-core: only the
#                                           wanted characters the CJK font lacks
#   assets/fonts/LICENSE-OFL.txt            copyright notices + SIL OFL 1.1 text
#                                           (copied from Debian's copyright file)
# assets/fonts/README.md is maintained by hand (update it if versions change).
#
# Character set:
#   REQUIRED = every non-PUA character that a 2-byte GBK sequence decodes to
#     with encoding_rs (= WHATWG "gbk" decoder, index gb18030): lead 0x81..=0xFE,
#     trail 0x40..=0xFE except 0x7F. Computed as the union of Python's 'gb18030'
#     and 'gbk' codecs (errors ignored), plus a fixed table of the 19 byte pairs
#     where Python (GB18030-2000) gives a PUA code point but the WHATWG index
#     gives a real character (U+FE10..FE19, U+1E3F, U+9FB4..9FBB); then the PUA
#     (U+E000..U+F8FF), U+FFFD and ASCII are removed. Expected size: 21,891
#     (checked against encoding_rs 0.8.x); the script fails if it gets fewer.
#   WANTED = REQUIRED + printable ASCII, Latin-1 Supplement, General Punctuation,
#     CJK Symbols and Punctuation, Halfwidth/Fullwidth Forms, U+FFFD and Control
#     Pictures (U+2400..243F); characters of these extra blocks that neither font
#     has are silently skipped.
#   The CJK subset gets WANTED ∩ cmap(CJK); the fallback gets the rest of WANTED
#   that the fallback font has. The script then verifies with fontTools that the
#   two output cmaps together cover all of REQUIRED, and fails otherwise.
#
# Requirements (installed if missing): Debian packages fonts-noto-cjk and
# fonts-noto-core (apt-get; needs root or sudo), Python 3 with fonttools (pip).
#
# Usage: tools/make-fonts.sh        (from anywhere; paths are relative to the repo)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/assets/fonts"
CJK_SRC=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
CJK_FAMILY="Noto Sans CJK SC"
FB_SRC=/usr/share/fonts/truetype/noto/NotoSansMath-Regular.ttf
CJK_OUT="$OUT/NotoSansCJKsc-GBK.otf"
FB_OUT="$OUT/NotoSansMath-GBKextra.ttf"
LICENSE_SRC=/usr/share/doc/fonts-noto-cjk/copyright
PYTHON="${PYTHON:-python3}"

# ---- dependencies ----------------------------------------------------------
source "$ROOT/tools/lib.sh"
[ -f "$CJK_SRC" ] && [ -f "$LICENSE_SRC" ] || install_packages "the CJK font's source" fonts-noto-cjk
[ -f "$FB_SRC" ] || install_packages "the fallback font's source" fonts-noto-core
"$PYTHON" -c 'import fontTools.subset' 2>/dev/null || "$PYTHON" -m pip install fonttools

mkdir -p "$OUT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# ---- 1. character sets, face index ----------------------------------------
"$PYTHON" - "$CJK_SRC" "$CJK_FAMILY" "$FB_SRC" "$TMP" <<'EOF'
import sys
from fontTools.ttLib import TTCollection, TTFont

cjk_src, cjk_family, fb_src, tmp = sys.argv[1:5]
PUA = range(0xE000, 0xF900)

# Byte pairs where the WHATWG gb18030 index (used by encoding_rs) maps to a
# real character but Python's GB18030-2000 codec maps to the PUA.
WHATWG_EXTRA = {
    0xA6D9: 0xFE10, 0xA6DA: 0xFE12, 0xA6DB: 0xFE11, 0xA6DC: 0xFE13,
    0xA6DD: 0xFE14, 0xA6DE: 0xFE15, 0xA6DF: 0xFE16, 0xA6EC: 0xFE17,
    0xA6ED: 0xFE18, 0xA6F3: 0xFE19, 0xA8BC: 0x1E3F,
    0xFE59: 0x9FB4, 0xFE61: 0x9FB5, 0xFE66: 0x9FB6, 0xFE67: 0x9FB7,
    0xFE6D: 0x9FB8, 0xFE7E: 0x9FB9, 0xFE90: 0x9FBA, 0xFEA0: 0x9FBB,
}
EXPECTED_REQUIRED = 21891

dec = set()
for lead in range(0x81, 0xFF):
    for trail in range(0x40, 0xFF):
        if trail == 0x7F:
            continue
        b = bytes([lead, trail])
        for codec in ("gb18030", "gbk"):
            dec.update(map(ord, b.decode(codec, errors="ignore")))
dec.update(WHATWG_EXTRA.values())
required = {u for u in dec if u >= 0x80 and u not in PUA and u != 0xFFFD}
if len(required) < EXPECTED_REQUIRED:
    sys.exit(f"error: GBK set has {len(required)} chars, expected >= {EXPECTED_REQUIRED}")

extra = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2000, 0x2070)) \
      | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0)) | {0xFFFD} \
      | set(range(0x2400, 0x2440))
wanted = required | extra

coll = TTCollection(cjk_src, lazy=True)
idx = [i for i, f in enumerate(coll.fonts) if f["name"].getDebugName(1) == cjk_family]
if len(idx) != 1:
    sys.exit(f"error: face {cjk_family!r} not found exactly once in {cjk_src}")
idx = idx[0]
cjk_cmap = set(coll.fonts[idx].getBestCmap())
fb_cmap = set(TTFont(fb_src, lazy=True).getBestCmap())

cjk_set = wanted & cjk_cmap
fb_set = (wanted - cjk_cmap) & fb_cmap
uncovered_required = required - cjk_cmap - fb_cmap
if uncovered_required:
    sys.exit("error: required chars in neither source font: "
             + " ".join(f"U+{u:04X}" for u in sorted(uncovered_required)))

def write(name, s):
    with open(f"{tmp}/{name}", "w") as f:
        f.write("\n".join(f"U+{u:04X}" for u in sorted(s)) + "\n")
write("cjk.txt", cjk_set)
write("fb.txt", fb_set)
write("required.txt", required)
write("wanted.txt", wanted)
with open(f"{tmp}/face-index", "w") as f:
    f.write(str(idx))
print(f"face index of {cjk_family!r} in {cjk_src}: {idx}")
print(f"required (2-byte GBK, non-PUA): {len(required)}; wanted incl. extra blocks: {len(wanted)}")
print(f"-> CJK subset: {len(cjk_set)} chars; fallback subset: {len(fb_set)} chars: "
      + " ".join(f"U+{u:04X}" for u in sorted(fb_set)))
EOF

# ---- 2. subset -------------------------------------------------------------
# Drop hinting, all OpenType layout features (egui does no shaping), vertical
# metrics/baseline tables; keep all name records (copyright/licence metadata);
# keep the .notdef outline.
COMMON=(--layout-features= --no-hinting --notdef-outline --name-IDs='*'
        --name-languages='*' --no-recalc-timestamp
        --drop-tables+=BASE,VORG,vhea,vmtx,JSTF,MATH,DSIG)
"$PYTHON" -m fontTools.subset "$CJK_SRC" --font-number="$(cat "$TMP/face-index")" \
    --unicodes-file="$TMP/cjk.txt" "${COMMON[@]}" --output-file="$CJK_OUT"
"$PYTHON" -m fontTools.subset "$FB_SRC" \
    --unicodes-file="$TMP/fb.txt" "${COMMON[@]}" --output-file="$FB_OUT"

# ---- 3. licence file ---------------------------------------------------------
"$PYTHON" - "$LICENSE_SRC" "$CJK_OUT" "$FB_OUT" "$OUT/LICENSE-OFL.txt" <<'EOF'
import sys, re
from fontTools.ttLib import TTFont
src, cjk, fb, out = sys.argv[1:5]
# Extract the "License: SIL-1.1" stanza from the Debian copyright file and
# undo the deb822 indentation (" ." = empty line).
text, grab = [], False
for line in open(src, encoding="utf-8"):
    line = line.rstrip("\n")
    if re.match(r"^License: SIL-1\.1\s*$", line):
        grab = True
        continue
    if grab:
        if not line.startswith(" "):
            if text:  # the first "License: SIL-1.1" line (in "Files: *") has no body
                break
            grab = False
            continue
        text.append("" if line.strip() == "." else line[1:])
if not any("SIL OPEN FONT LICENSE Version 1.1" in l for l in text):
    sys.exit(f"error: OFL text not found in {src}")
hdr = ["The fonts in this directory are Modified Versions (subsets) of:", ""]
for path in (cjk, fb):
    n = TTFont(path, lazy=True)["name"]
    hdr += [f"  {n.getDebugName(1)} ({n.getDebugName(5).split(';')[0]}) -> {path.rsplit('/', 1)[-1]}",
            f"    {n.getDebugName(0)}", f"    {n.getDebugName(7)}", ""]
hdr += ["Both are licensed under the SIL Open Font License, Version 1.1,",
        "reproduced below as shipped by Debian (/usr/share/doc/fonts-noto-cjk/copyright).",
        "", ""]
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(hdr + text).rstrip("\n") + "\n")
EOF

# ---- 4. verify -------------------------------------------------------------
"$PYTHON" - "$TMP" "$CJK_OUT" "$FB_OUT" <<'EOF'
import sys, os
from fontTools.ttLib import TTFont
tmp, cjk, fb = sys.argv[1:4]
def load(name):
    return {int(l.strip()[2:], 16) for l in open(f"{tmp}/{name}") if l.strip()}
required, wanted = load("required.txt"), load("wanted.txt")
cmaps = {}
for path in (cjk, fb):
    f = TTFont(path)
    cmaps[path] = set(f.getBestCmap())
    print(f"{os.path.relpath(path)}: {os.path.getsize(path):,} bytes, "
          f"{len(cmaps[path])} cmap entries, {f['maxp'].numGlyphs} glyphs, "
          f"family {f['name'].getDebugName(1)!r}")
union = cmaps[cjk] | cmaps[fb]
missing = sorted(required - union)
print(f"required chars: {len(required)}, covered: {len(required & union)}")
print(f"wanted chars (incl. extra blocks): {len(wanted)}, covered: {len(wanted & union)}")
if missing:
    sys.exit("FAIL: not covered: " + " ".join(f"U+{u:04X}" for u in missing))
print("OK: every required character is covered")
EOF
