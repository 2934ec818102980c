#!/usr/bin/env bash
# Installs the Debian packages lokalmat needs, and only those that are missing.
# Idempotent: a second run installs nothing. Uses sudo when not run as root.
# The viewer draws with OpenGL: headless (tests, screenshots) it runs under Xvfb with Mesa's
# software renderer (llvmpipe), hence xvfb, xauth and the Mesa GLX/DRI drivers.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libboost-program-options-dev libboost-mpi-dev libboost-math-dev
  libtbb-dev libhdf5-dev hdf5-tools librandom123-dev
  liblzma-dev  # CRC-64 of the result files' seals (results/file_seal.h)
  libxxhash-dev  # XXH3, the weekly state hash (sim/state.cpp)
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev
  libimgui-dev libglfw3-dev libgl-dev libstb-dev
  libgl1-mesa-dri libglx-mesa0
  libgtest-dev libgmock-dev libbenchmark-dev
  openmpi-bin libopenmpi-dev
  python3 python3-h5py python3-numpy python3-matplotlib python3-pandas
  xvfb xauth time
  # make fuzz: clang and its runtime libraries (libclang_rt.fuzzer, the sanitizers)
  clang-14 libclang-rt-14-dev
  # tests/report: headless Chromium opens the HTML report; PIL reads its screenshot
  chromium python3-pil
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
