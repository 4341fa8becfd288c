"""Fit the shipped fake-account model on InstaFake and write its parameters into the package.

Training data: InstaFake ``fake-v1.0`` (Akyon & Kalfaoglu, ASYU 2019; 200 fake and 994 real
Instagram accounts), licensed CC BY-NC 4.0. No row of it is copied: only the dozen weights and
standardisation constants fitted on it, with the licence noted in the file. The fit is
deterministic (Newton's method from fixed starting weights), so re-running this script on the same
data writes the same numbers; ``tests/adapters/models`` checks that it does.

    .venv/bin/python benchmarks/fit_fake_accounts.py [--data ../shared/datasets] [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kolscope.adapters.models import SHIPPED_FAKE_ACCOUNT_PARAMS, write_params
from kolscope.adapters.sources.instafake import FAKE_V1, has_instafake, load_instafake
from kolscope.core.vetting.fake_accounts import FakeAccountModel

ROOT = Path(__file__).resolve().parents[1]
PARAMS_FILE = ROOT / "src" / "kolscope" / "adapters" / "models" / SHIPPED_FAKE_ACCOUNT_PARAMS
TRAINING_DATA = {
    "name": "InstaFake fake-v1.0 (fakeAccountData.json + realAccountData.json)",
    "source": "https://github.com/fcakyon/instafake-dataset",
    "reference": "F. C. Akyon and M. E. Kalfaoglu, 'Instagram Fake and Automated Account "
                 "Detection', ASYU 2019, arXiv:1910.03090",
    "licence": "CC BY-NC 4.0 (https://creativecommons.org/licenses/by-nc/4.0/); these "
               "parameters are derived from it: refit on your own labels "
               "(`kolscope vet fit`) for uses the licence does not cover",
}


def fitted_params(data: Path) -> dict[str, Any]:
    """The parameters this script ships: the default model fitted on all of InstaFake."""
    columns, labels = load_instafake(data)
    params = FakeAccountModel().fit(columns, labels).to_params()
    return {**params, "training_data": {**TRAINING_DATA, "rows": len(labels)},
            "fitted_by": "benchmarks/fit_fake_accounts.py"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--out", type=Path, default=PARAMS_FILE)
    parser.add_argument("--check", action="store_true",
                        help="only compare with the file at --out; exit 1 when they differ")
    args = parser.parse_args()
    if not has_instafake(args.data):
        sys.exit(f"InstaFake not found at {args.data / FAKE_V1} (pass --data); nothing fitted")
    params = fitted_params(args.data)
    if args.check:
        same = json.loads(args.out.read_text(encoding="utf-8")) == params
        print(f"{args.out}: {'matches' if same else 'DIFFERS from'} a fresh fit")
        sys.exit(0 if same else 1)
    write_params(args.out, params)
    print(f"fitted on {params['n_samples']} accounts ({params['n_fake']} fake) in "
          f"{params['n_iter']} Newton iterations; wrote {args.out}")
    for name, coef in zip(params["feature_names"], params["coef"], strict=True):
        print(f"  {name:<22}{coef:+.3f}")
    print(f"  {'intercept':<22}{params['intercept']:+.3f}")


if __name__ == "__main__":
    main()
