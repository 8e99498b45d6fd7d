#!/usr/bin/env bash
# Renders TurnChat's icon from its source, assets/icons/turnchat.svg:
#   assets/icons/png/turnchat-N.png  for N = 16 24 32 48 64 128 256 512 (window icon,
#                                    hicolor icons of the .deb, macOS bundle)
#   assets/icons/turnchat.ico        16–256 px in one file (the Windows .exe, via build.rs)
# Commit the results: builds use them and do not need these tools.
#
#   bash tools/make-icons.sh
#
# Needs rsvg-convert (Debian: librsvg2-bin) and ImageMagick's convert (imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in rsvg-convert:librsvg2-bin convert:imagemagick; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || {
    echo "make-icons.sh needs ${tool%%:*}: install it with apt-get install ${tool##*:}." >&2
    exit 1
  }
done

src=assets/icons/turnchat.svg
out=assets/icons/png
mkdir -p "$out"
for size in 16 24 32 48 64 128 256 512; do
  rsvg-convert --width "$size" --height "$size" --format png "$src" --output "$out/turnchat-$size.png"
done
# The .ico keeps every size up to 256 (the largest an .ico holds); no time stamps, so
# re-running the script on the same inputs gives the same bytes.
convert "$out"/turnchat-{16,24,32,48,64,128,256}.png -define png:exclude-chunks=date,time \
  assets/icons/turnchat.ico
echo "Rendered $(ls "$out" | wc -l) PNGs and assets/icons/turnchat.ico from $src."
