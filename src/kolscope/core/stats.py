"""Small statistics every score shares: confidence intervals for proportions."""

from __future__ import annotations

import math

from kolscope.errors import InvalidInput

Z_95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion: ``(low, high)``, ``(0, 1)`` with no trials.

    It stays inside [0, 1] and is honest for small samples and shares near 0 or 1, where the
    normal approximation is not.

    Examples
    --------
    >>> tuple(round(x, 4) for x in wilson_interval(5, 10))
    (0.2366, 0.7634)
    >>> wilson_interval(0, 0)
    (0.0, 1.0)

    References
    ----------
    E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
    JASA 22 (1927).
    """
    if trials <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= trials:
        raise InvalidInput("successes must lie between 0 and the number of trials",
                           field="successes")
    p = successes / trials
    z2 = z * z
    centre = p + z2 / (2 * trials)
    margin = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    denominator = 1 + z2 / trials
    return max(0.0, (centre - margin) / denominator), min(1.0, (centre + margin) / denominator)
