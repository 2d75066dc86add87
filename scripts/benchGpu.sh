#!/usr/bin/env bash
# WebGPU figures on a machine with a GPU and Chromium, in one command (issue 14): builds the app, then runs
# `cherry bench` on WebGPU in headless Chromium (scripts/benchGpu.ts): the SmolLM2-135M shape's sampling and a
# GRPO step with LoRA rank 16, the 1024³ matmul (tfjs f32; a plain WGSL shader in f32 and, where the adapter
# has shader-f16, f16), and prints one table, within 8 minutes.
#   scripts/benchGpu.sh            # SmolLM2-135M shape, batch 8, 128 new tokens
#   scripts/benchGpu.sh --tiny     # a tiny shape and 256³ matmuls: the end-to-end check without a GPU (SwiftShader)
# Environment: CHROMIUM (default /usr/bin/chromium), CHROMIUM_FLAGS (extra flags, e.g. "--enable-features=Vulkan"
# where Linux drivers need it). Nothing here depends on the adapter: a GPU machine only changes what it reports.
set -euo pipefail
cd "$(dirname "$0")/.."
npx vite build --logLevel warn
exec timeout 480 npx tsx scripts/benchGpu.ts "$@"
