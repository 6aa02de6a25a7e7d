#!/usr/bin/env bash
# One entry point for building, testing, the demo and the benchmarks.
#   ./build.sh          install OS packages (when missing) and build
#   ./build.sh test     the above, then run every test project
#   ./build.sh demo     the above, then train on Fashion-MNIST and write a sample grid (samples/FashionMnist)
#   ./build.sh bench    the above, then run the benchmarks (bench/) [--soak for the memory soak]
#                       [--reference: FMNIST-S against PyTorch eager, installing python3-torch when missing]
#   ./build.sh pack     the above, then write Microsoft.ML.Diffusion.<version>.nupkg and .snupkg to artifacts/packages
#                       (extra arguments go to dotnet pack)
set -euo pipefail
cd "$(dirname "$0")"

# Only the data set comes from apt; ML.NET and TorchSharp (with libtorch) come from NuGet.
APT_PACKAGES=(dataset-fashion-mnist)

die() { echo "build.sh: $*" >&2; exit 1; }

install_os_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "build.sh: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} by hand (Debian 12 packages)."
  $sudo apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install: ${missing[*]}"
}

build_managed() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is missing"
  dotnet build Diffusion.sln -c Release -nologo -v q -clp:ErrorsOnly || die "the managed build failed"
}

cmd="${1:-build}"
[ $# -gt 0 ] && shift
# The benchmark's reference run measures the same network in PyTorch eager (Debian's python3-torch, PyTorch 1.13).
if [ "$cmd" = bench ] && [[ " $* " == *" --reference "* ]]; then APT_PACKAGES+=(python3-torch); fi
install_os_packages
build_managed

case "$cmd" in
  build) ;;
  test)
    dotnet test Diffusion.sln -c Release --no-build -nologo "$@" ;;
  demo)
    dotnet run --project samples/FashionMnist -c Release --no-build -- "$@" ;;
  bench)
    dotnet run --project bench/Diffusion.Benchmarks -c Release --no-build -- "$@" ;;
  pack)
    dotnet pack src/Microsoft.ML.Diffusion/Microsoft.ML.Diffusion.csproj -c Release --no-build -nologo -o artifacts/packages "$@" ;;
  *) die "unknown command '$cmd' (use: build, test, demo, bench, pack)" ;;
esac
