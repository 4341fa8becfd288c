"""Classification use cases: each creator account's niche and KOL type, with their reasons."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

from pydantic import BaseModel

from kolscope.app.models import BreakdownRow, ClassificationRow
from kolscope.app.ports import (
    AccountSignals,
    Clock,
    UnitOfWork,
    UnitOfWorkFactory,
)
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.kol_types import (
    KOL_TYPE_METHOD_VERSION,
    KolSignals,
    KolThresholds,
    classify_kol,
)
from kolscope.core.discovery.niche_classifier import (
    NICHE_METHOD_VERSION,
    NicheClassifier,
    account_text,
)

CHUNK = 1_000
TEXTS_PER_ACCOUNT = 12
# Below this many labelled accounts (or two niches) the lexicon alone decides: a model fitted
# on a handful of accounts would only learn their quirks.
MIN_TRAINING = 50
# Smoothing chosen by 3-fold cross-validation on the training split of the shared Instagram data
# (benchmarks/niche_eval.py); the classifier's own defaults suit the lexicon-only cold start.
FITTED_ALPHA, FITTED_LEXICON_WEIGHT = 10.0, 50.0


class ClassificationSummary(BaseModel):
    accounts: int
    trained_on: int
    kol_types: dict[str, int]
    niches_predicted: dict[str, int]
    kol_type_method: str
    niche_method: str
    seconds: float


def classify_workspace(uow_factory: UnitOfWorkFactory, *, workspace: str, clock: Clock,
                       thresholds: KolThresholds | None = None) -> ClassificationSummary:
    """Predict every creator account's niche and type it as expert, celebrity, influencer or KOC.

    The niche model is the lexicon prior, refined by the workspace's own accounts whose source
    gave a niche (an influencer list's categories, say). Run it after `compute_authority`, whose
    percentiles and peer endorsements are signals of the expert type.
    """
    started = time.perf_counter()
    with uow_factory() as uow:
        workspace_id = require_workspace(uow, workspace).id
    model, trained_on = _niche_model(uow_factory, workspace_id)
    types: Counter[str] = Counter()
    niches: Counter[str] = Counter()
    for chunk in _signal_chunks(uow_factory, workspace_id):
        texts = [_text(s) for s in chunk]
        labels = model.predict(texts)
        confidence = model.predict_proba(texts).max(axis=1)
        rows = [_classify(s, text, label, float(p), model, thresholds or KolThresholds())
                for s, text, label, p in zip(chunk, texts, labels, confidence, strict=True)]
        types.update(r.kol_type for r in rows)
        niches.update(r.niche or "none" for r in rows)
        with uow_factory() as uow:
            uow.classification.save(workspace_id, rows, computed_at=clock())
            uow.workspaces.bump_version(workspace_id)
            uow.commit()
    return ClassificationSummary(
        accounts=sum(types.values()), trained_on=trained_on, kol_types=dict(types),
        niches_predicted=dict(niches), kol_type_method=KOL_TYPE_METHOD_VERSION,
        niche_method=NICHE_METHOD_VERSION, seconds=time.perf_counter() - started)


def breakdown(uow: UnitOfWork, *, workspace: str) -> list[BreakdownRow]:
    """How many creator accounts there are per KOL type and niche."""
    return uow.accounts.breakdown(require_workspace(uow, workspace).id)


def _signal_chunks(uow_factory: UnitOfWorkFactory, workspace_id: int
                   ) -> Iterator[list[AccountSignals]]:
    after = 0
    while True:
        with uow_factory() as uow:
            chunk = uow.classification.signals(workspace_id, after, CHUNK,
                                               texts_per_account=TEXTS_PER_ACCOUNT)
        if not chunk:
            return
        yield chunk
        after = chunk[-1].account_id


def _text(s: AccountSignals) -> str:
    return account_text(bio=s.bio or "", captions=s.captions,
                        image_descriptions=s.image_descriptions)


def _niche_model(uow_factory: UnitOfWorkFactory, workspace_id: int
                 ) -> tuple[NicheClassifier, int]:
    texts: list[str] = []
    labels: list[str] = []
    for chunk in _signal_chunks(uow_factory, workspace_id):
        for s in chunk:
            if s.source_niche and (s.captions or s.bio):
                texts.append(_text(s))
                labels.append(s.source_niche)
    if len(texts) >= MIN_TRAINING and len(set(labels)) >= 2:
        model = NicheClassifier(alpha=FITTED_ALPHA, lexicon_weight=FITTED_LEXICON_WEIGHT)
        return model.fit(texts, labels), len(texts)
    return NicheClassifier(), 0


def _classify(s: AccountSignals, text: str, label: str, probability: float,
              model: NicheClassifier, thresholds: KolThresholds) -> ClassificationRow:
    niche: str | None = None
    confidence: float | None = None
    evidence: list[dict[str, object]] = []
    if text.strip():  # an account with nothing to read gets no niche guess
        niche, confidence = label, probability
        evidence = [e.model_dump() for e in model.explain(text, top=5)]
    typing = classify_kol(KolSignals(
        followers=s.followers, bio=s.bio, display_name=s.display_name,
        recent_captions=s.captions, posts_analyzed=s.posts_analyzed,
        engagement_rate=s.engagement_rate, sponsored_share=s.sponsored_share,
        authority_percentile=s.authority_percentile, niche_percentile=s.niche_percentile,
        peer_endorsers=s.peer_endorsers, endorser_niches=s.endorser_niches,
        is_virtual=s.is_virtual), thresholds=thresholds)
    return ClassificationRow(
        account_id=s.account_id, kol_type=typing.kol_type.value,
        kol_type_scores={str(k): v for k, v in typing.scores.items()},
        kol_type_reasons=[r.model_dump(mode="json") for r in typing.reasons],
        credentials=list(typing.credentials), is_virtual=typing.is_virtual,
        kol_type_method=typing.method_version, niche=niche, niche_confidence=confidence,
        niche_evidence=evidence, niche_method=NICHE_METHOD_VERSION)
