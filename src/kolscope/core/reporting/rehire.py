"""What to rehire (``rehire-1``): each KOL's cost per engagement and ROI against the campaign's
medians, and its comments' sentiment, with the reason in words.

- *cost*: good when its CPE is at or under the median CPE of the campaign's rated KOLs;
- *return* (only when the campaign has conversion data): good when its ROI is positive and at
  or above the median ROI, bad when it lost money (ROI under 0);
- *sentiment*: bad when at least 20 % of its scored comments are negative (the monitoring floor).

Verdict: ``rehire`` when every available signal is good and none is bad; ``pass`` when no
signal is good or sentiment is bad; ``consider`` otherwise. A KOL with no published counts or no
spend is ``not rated``. Ranking: verdict, then ROI (highest first), then CPE (lowest first).
Method: ``docs/methods/reports.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from kolscope.core.metrics import median_or_none
from kolscope.core.reporting.models import KolLine, RehireLine, Verdict
from kolscope.core.reporting.monitoring import NEGATIVE_FLOOR

REHIRE_METHOD_VERSION = "rehire-1"
_ORDER: dict[Verdict, int] = {"rehire": 0, "consider": 1, "pass": 2, "not rated": 3}


def _money(value: Decimal, currency: str | None) -> str:
    return f"{value:,.2f}" + (f" {currency}" if currency else "")


def _judge(kol: KolLine, median_cpe: float | None, median_roi: float | None,
           conversion_data: bool, currency: str | None) -> tuple[Verdict, list[str]]:
    if kol.cpe is None or not kol.spend:
        return "not rated", ["no published post with counts, or nothing spent yet"]
    good, bad, reasons = 0, 0, []
    signals = 1
    if median_cpe is not None and float(kol.cpe) <= median_cpe:
        good += 1
        reasons.append(f"CPE {_money(kol.cpe, currency)}, at or under the campaign median "
                       f"{median_cpe:,.2f}")
    else:
        reasons.append(f"CPE {_money(kol.cpe, currency)}, above the campaign median "
                       f"{median_cpe or 0:,.2f}")
    if conversion_data:
        signals += 1
        if kol.roi is None:
            reasons.append("ROI unknown")
        elif kol.roi < 0:
            bad += 1
            reasons.append(f"ROI {kol.roi:.0%}: it lost money")
        elif median_roi is not None and kol.roi >= median_roi:
            good += 1
            reasons.append(f"ROI {kol.roi:.0%}, at or above the median {median_roi:.0%}")
        else:
            reasons.append(f"ROI {kol.roi:.0%}, under the median {median_roi or 0:.0%}")
    sour = kol.negative_share is not None and kol.negative_share >= NEGATIVE_FLOOR
    if sour:
        bad += 1
        reasons.append(f"{kol.negative_share:.0%} of its comments are negative "
                       f"(at or above {NEGATIVE_FLOOR:.0%})")
    if good == signals and not bad:
        return "rehire", reasons
    if not good or sour:
        return "pass", reasons
    return "consider", reasons


def rehire(kols: Sequence[KolLine], *, conversion_data: bool,
           currency: str | None) -> list[RehireLine]:
    """Every KOL of the campaign ranked by the rule above, each with its reasons."""
    rated = [k for k in kols if k.cpe is not None and k.spend]
    median_cpe = median_or_none([float(k.cpe) for k in rated if k.cpe is not None])
    median_roi = median_or_none([k.roi for k in rated]) if conversion_data else None
    judged = [(k, *_judge(k, median_cpe, median_roi, conversion_data, currency)) for k in kols]
    judged.sort(key=lambda row: (
        _ORDER[row[1]], -(row[0].roi if row[0].roi is not None else float("-inf")),
        float(row[0].cpe) if row[0].cpe is not None else float("inf"), row[0].handle))
    return [RehireLine(rank=i, collaboration_id=k.collaboration_id, account_id=k.account_id,
                       handle=k.handle, verdict=verdict, cpe=k.cpe, roi=k.roi,
                       negative_share=k.negative_share, reasons=reasons, sources=k.sources)
            for i, (k, verdict, reasons) in enumerate(judged, start=1)]
