#!/usr/bin/env bash
# viewer_shots.sh — regenerates the viewer pictures in results/ that README.md shows:
# replay (Chinese, the baseline), steering (Chinese, smoke with three lever changes),
# comparison (English, the 2022 plan against the baseline) and a fork (English, the baseline
# forked at 2023-01) and a chosen variable's plot beside the enclave table narrowed to one county
# (English). Needs a build (./feidi build) and xvfb-run; the traces it needs are
# made in a temporary folder. Usage: sim/tools/viewer_shots.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SIM="$ROOT/build/bin/feidi-sim"
VIZ="$ROOT/build/bin/feidi-viz"
OUT="$ROOT/results"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"  # the pictures show the traces' names, not a temporary path
viz() { xvfb-run -a -s "-screen 0 1600x1000x24" "$VIZ" "$@" >/dev/null; }

"$SIM" run "$ROOT/configs/baseline.toml" -q -o baseline.h5 --checkpoint-every 12
"$SIM" run "$ROOT/configs/plan_2022.toml" -q -o plan_2022.h5

viz baseline.h5 --step 215 --lang zh --screenshot "$OUT/viewer_replay.png"
viz --run "$ROOT/configs/smoke.toml" --out smoke_steered.h5 --step 30 --lang zh --panel map,levers \
  --set-at 6:enclaves.same_city=1.0 --set-at 12:tax_split.mode=fixed --set-at 12:tax_split.fixed_source_share=0.9 \
  --screenshot "$OUT/viewer_steer.png"
viz plan_2022.h5 --compare baseline.h5 --step 215 --lang en --panel map,compare \
  --screenshot "$OUT/viewer_compare_en.png"
viz baseline.h5 --step 60 --fork --out baseline_fork_2023-01.h5 --lang en --panel compare \
  --set-at 60:tax_split.mode=fixed --set-at 60:tax_split.fixed_source_share=0.9 --set-at 60:enclaves.same_city=1.0 \
  --set-at 60:province.special_fund_yuan_per_year=5e9 --screenshot "$OUT/viewer_fork_en.png"
viz baseline.h5 --step 120 --lang en --panel plots,enclaves --layout 0.6,0.56 --plot-var gdp_per_capita_ratio \
  --plot-counties 331127,330329,331181 --county 330802 --time-range 2018-01:2030-12 --screenshot "$OUT/viewer_plots_en.png"
echo "wrote $OUT/viewer_replay.png, viewer_steer.png, viewer_compare_en.png, viewer_fork_en.png, viewer_plots_en.png"
