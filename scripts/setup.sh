#!/usr/bin/env bash
# Set up the toolkit in ./.venv on a fresh machine: a CPU build of torch (pinned, so pip does not
# pull a multi-GB CUDA build), Anny and smplx, the photo pose estimator, bvhio (BVH motion files), the toolkit
# itself (editable) and the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

# System libraries for offscreen rendering (bedlam_tools.render, pyrender): Mesa's EGL (libegl1 libegl-mesa0
# libgl1-mesa-dri libgl1) is tried first and works with pyrender's pinned PyOpenGL 3.1.0, so PyOpenGL stays
# pinned. libosmesa6 is the fallback when EGL cannot make a context; OSMesa also needs PyOpenGL >= 3.1.4
# (pip install "PyOpenGL>=3.1.4", despite pyrender's pin). Installed only when missing, as root with apt-get.
GL_PACKAGES="libegl1 libegl-mesa0 libgl1-mesa-dri libgl1 libosmesa6"
missing=$(for p in $GL_PACKAGES; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == *"ok installed" ]] || echo "$p"
done | xargs)
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing rendering libraries: $missing"
        if ! log=$(apt-get update -qq 2>&1 && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq --no-install-recommends $missing 2>&1); then
            echo "$log" >&2
            exit 1
        fi
    else
        echo "skipping rendering libraries (needs root and apt-get): install $missing for posescript render" >&2
    fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check torch==2.13.0
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[body,render,ray,vision,motion,dev]"
# The photo pose estimator (bedlam_tools.vision) runs the BlazePose GHUM 3D model files shipped inside the
# mediapipe 0.10.21 wheel (later versions ship none and download at run time). Only those files are used, so
# the wheel goes in without its dependencies (it pins numpy<2 and protobuf<5; pip may warn about them later).
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps mediapipe==0.10.21
echo "setup done: $(.venv/bin/python -c 'import posescript_pipeline, torch, anny; print("torch", torch.__version__, "anny", anny.__version__ if hasattr(anny, "__version__") else "ok")')"
