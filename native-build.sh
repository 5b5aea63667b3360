#!/usr/bin/env bash
# Builds Lethe's native executable and its container image.
#
#   ./native-build.sh [--image NAME] [--tag TAG] [--jvm] [--no-image] [--sources-only]
#
#   --image NAME     image name (default: lethe)
#   --tag TAG        image tag (default: the project version)
#   --jvm            build the JVM image (src/main/docker/Dockerfile.jvm) instead of the native one
#   --no-image       build the executable only
#   --sources-only   run the Quarkus native build steps without a native compiler
#                    (quarkus.native.sources-only): catches native-incompatible code where no GraalVM runs
#
# The native executable is built with a local GraalVM or Mandrel (native-image on the PATH, or GRAALVM_HOME)
# when there is one, otherwise inside a builder container with docker or podman.
set -euo pipefail
cd "$(dirname "$0")"

image=lethe
tag=""
jvm=false
build_image=true
sources_only=false
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image=${2:?--image needs a name}; shift 2 ;;
    --tag) tag=${2:?--tag needs a value}; shift 2 ;;
    --jvm) jvm=true; shift ;;
    --no-image) build_image=false; shift ;;
    --sources-only) sources_only=true; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "native-build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

mvn_() { mvn -B -ntp "$@"; }

if $sources_only; then
  mvn_ package -DskipTests -Dnative -Dquarkus.native.sources-only=true
  echo "Native build steps passed; the native-image sources and arguments are in target/native-sources."
  exit 0
fi

engine=""
for candidate in docker podman; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then
    engine=$candidate
    break
  fi
done

if $jvm; then
  mvn_ package -DskipTests
  dockerfile=src/main/docker/Dockerfile.jvm
else
  if command -v native-image >/dev/null 2>&1 || [ -n "${GRAALVM_HOME:-}" ]; then
    mvn_ package -DskipTests -Dnative
  elif [ -n "$engine" ]; then
    mvn_ package -DskipTests -Dnative -Dquarkus.native.container-build=true \
      -Dquarkus.native.container-runtime="$engine"
  else
    cat >&2 <<'MSG'
native-build.sh: cannot build a native executable here.
  No native toolchain: install GraalVM or Mandrel for Java 17+ (native-image on the PATH, or GRAALVM_HOME set).
  No container engine: docker or podman must be installed and answer 'info' (is the daemon running?).
Install either, or run './native-build.sh --sources-only' to check the code for native compatibility,
or './native-build.sh --jvm' for the JVM image (which needs a container engine too).
MSG
    exit 3
  fi
  dockerfile=src/main/docker/Dockerfile.native-micro
fi

if ! $build_image; then
  echo "Built without an image, as asked (see target/)."
  exit 0
fi
if [ -z "$tag" ]; then
  tag=$(mvn_ -q help:evaluate -Dexpression=project.version -DforceStdout)
fi
if [ -z "$engine" ]; then
  echo "native-build.sh: built the application, but no container engine (docker or podman) answers to build" \
    "the image $image:$tag from $dockerfile." >&2
  exit 3
fi
"$engine" build -f "$dockerfile" -t "$image:$tag" .
echo "Built image $image:$tag"
