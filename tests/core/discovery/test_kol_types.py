"""KOL typing: hand-made accounts of each type, the credentials lexicon, and the arithmetic."""

from __future__ import annotations

import doctest
import math

import pytest
from pydantic import ValidationError

from kolscope.core.discovery import credentials as credentials_module
from kolscope.core.discovery import kol_types
from kolscope.core.discovery.credentials import claimed_credentials, detect_credentials
from kolscope.core.discovery.kol_types import (
    KOL_TYPE_METHOD_VERSION,
    TIE_ORDER,
    WEIGHTS,
    KolSignals,
    KolThresholds,
    KolType,
    classify_kol,
    review_share,
)

REVIEWS = ["Honest review: this cleanser after a month", "空瓶记：回购第二瓶",
           "Tried the new sunscreen, not sponsored", "Weekend hike"]

DERMATOLOGIST = KolSignals(
    followers=80_000, bio="Board-certified dermatologist | skincare science",
    display_name="Dr. Amy Lee", posts_analyzed=12, engagement_rate=0.03, sponsored_share=0.25,
    authority_percentile=95, niche_percentile=97, peer_endorsers=6, endorser_niches=2)
CELEBRITY = KolSignals(
    followers=3_000_000, bio="Actor. Singer. New album out now", posts_analyzed=12,
    engagement_rate=0.005, sponsored_share=0.05, authority_percentile=70, niche_percentile=60,
    peer_endorsers=12, endorser_niches=4)
CELEBRITY_DOCTOR = KolSignals(
    followers=3_000_000, bio="Dr. Chen, MD · 皮肤科医生", posts_analyzed=12,
    engagement_rate=0.008, sponsored_share=0.05, authority_percentile=99, niche_percentile=99,
    peer_endorsers=40, endorser_niches=1)
LIFESTYLE = KolSignals(
    followers=400_000, bio="Lifestyle · travel · coffee", posts_analyzed=12,
    engagement_rate=0.02, sponsored_share=0.3, authority_percentile=60, niche_percentile=70,
    peer_endorsers=1, endorser_niches=1)
CONSUMER = KolSignals(
    followers=2_000, bio="mum of two, skincare on a budget", recent_captions=REVIEWS,
    posts_analyzed=4, engagement_rate=0.05, sponsored_share=0.0)

SIGNALS_BY_TYPE = {
    "expert": {"credentials", "authority_percentile", "niche_percentile", "peer_endorsers"},
    "celebrity": {"followers", "endorser_niches"},
    "influencer": {"followers", "engagement_rate", "sponsored_share", "credentials"},
    "koc": {"followers", "sponsored_share", "review_share"},
    None: {"posts_analyzed", "is_virtual"},
}


def test_dermatologist_with_authority_and_peers_is_expert() -> None:
    typing = classify_kol(DERMATOLOGIST)
    assert typing.kol_type is KolType.EXPERT
    assert typing.scores == {"expert": 1.0, "celebrity": 0.0, "influencer": 0.8, "koc": 0.0}
    assert typing.credentials == ["certified", "dermatologist", "doctor"]
    note = next(r.note for r in typing.reasons
                if r.kol_type is KolType.EXPERT and r.signal == "credentials")
    assert note == "bio or display name names certified, dermatologist, doctor"


def test_three_million_followers_across_four_niches_is_celebrity() -> None:
    typing = classify_kol(CELEBRITY)
    assert typing.kol_type is KolType.CELEBRITY
    # KOC scores its unsponsored feed but cannot win: 3M followers fail its required bound.
    assert typing.scores == {"expert": 0.2, "celebrity": 1.0, "influencer": 0.6, "koc": 0.3}


def test_three_million_in_one_niche_with_credentials_and_authority_is_expert() -> None:
    # The documented rule: cross-niche reach, not size alone, makes a celebrity.
    typing = classify_kol(CELEBRITY_DOCTOR)
    assert typing.kol_type is KolType.EXPERT
    assert typing.scores["expert"] == 1.0 and typing.scores["celebrity"] == 0.6


def test_expert_wins_a_tie_with_celebrity() -> None:
    typing = classify_kol(CELEBRITY_DOCTOR.model_copy(update={"endorser_niches": 4}))
    assert typing.scores["expert"] == typing.scores["celebrity"] == 1.0
    assert typing.kol_type is KolType.EXPERT
    assert "tied with celebrity" in typing.summary


def test_celebrity_with_credentials_but_no_authority_stays_celebrity() -> None:
    signals = CELEBRITY_DOCTOR.model_copy(update={
        "endorser_niches": 4, "authority_percentile": None, "niche_percentile": None,
        "peer_endorsers": 0})
    typing = classify_kol(signals)
    assert typing.kol_type is KolType.CELEBRITY
    assert typing.scores == {"expert": 0.4, "celebrity": 1.0, "influencer": 0.4, "koc": 0.3}


def test_lifestyle_creator_with_400k_followers_is_influencer() -> None:
    typing = classify_kol(LIFESTYLE)
    assert typing.kol_type is KolType.INFLUENCER
    assert typing.scores == {"expert": 0.0, "celebrity": 0.0, "influencer": 1.0, "koc": 0.0}


def test_small_unsponsored_reviewer_is_koc() -> None:
    typing = classify_kol(CONSUMER)
    assert typing.kol_type is KolType.KOC
    assert typing.scores == {"expert": 0.0, "celebrity": 0.0, "influencer": 0.4, "koc": 1.0}


def test_small_but_mostly_sponsored_account_is_not_koc() -> None:
    typing = classify_kol(CONSUMER.model_copy(update={"sponsored_share": 0.6}))
    assert typing.kol_type is KolType.INFLUENCER
    # The KOC score is shown, but a required condition failed, so KOC cannot win.
    assert typing.scores["koc"] == 0.7 and typing.scores["influencer"] == 0.6
    failed = [r for r in typing.reasons if r.kol_type is KolType.KOC and r.required and not r.met]
    assert [r.signal for r in failed] == ["sponsored_share"]


def test_koc_needs_a_known_sponsored_share() -> None:
    typing = classify_kol(CONSUMER.model_copy(update={"posts_analyzed": 2}))
    assert typing.kol_type is not KolType.KOC
    sponsored = next(r for r in typing.reasons
                     if r.kol_type is KolType.KOC and r.signal == "sponsored_share")
    assert sponsored.value is None and sponsored.contribution == 0.0
    assert sponsored.note.startswith("unknown:")


@pytest.mark.parametrize(("followers", "met"), [
    (999_999, False), (1_000_000, True)])
def test_celebrity_follower_bound_is_inclusive(followers: int, met: bool) -> None:
    typing = classify_kol(CELEBRITY.model_copy(update={"followers": followers}))
    reason = next(r for r in typing.reasons
                  if r.kol_type is KolType.CELEBRITY and r.signal == "followers")
    assert reason.met is met
    assert typing.kol_type is (KolType.CELEBRITY if met else KolType.INFLUENCER)


def test_custom_thresholds_move_the_outcome() -> None:
    # Two niches: celebrity 0.6 loses to an engaged, sponsored influencer's 0.8 by default.
    two_niches = CELEBRITY.model_copy(update={
        "endorser_niches": 2, "engagement_rate": 0.02, "sponsored_share": 0.2})
    assert classify_kol(two_niches).kol_type is KolType.INFLUENCER
    lenient = KolThresholds(celebrity_min_endorser_niches=2)
    assert classify_kol(two_niches, thresholds=lenient).kol_type is KolType.CELEBRITY


@pytest.mark.parametrize("signals", [DERMATOLOGIST, CELEBRITY, CELEBRITY_DOCTOR, LIFESTYLE,
                                     CONSUMER, KolSignals()])
def test_reasons_cover_every_signal_and_scores_are_their_sums(signals: KolSignals) -> None:
    typing = classify_kol(signals)
    for kol_type, expected in SIGNALS_BY_TYPE.items():
        assert {r.signal for r in typing.reasons if r.kol_type == kol_type} == expected
    for kol_type in TIE_ORDER:
        mine = [r for r in typing.reasons if r.kol_type is kol_type]
        assert typing.scores[kol_type.value] == pytest.approx(
            math.fsum(r.contribution for r in mine))
        assert 0.0 <= typing.scores[kol_type.value] <= 1.0
    for reason in typing.reasons:
        assert reason.contribution == (reason.weight if reason.met else 0.0)
        assert reason.note


def test_weights_of_each_type_sum_to_one() -> None:
    assert set(WEIGHTS) == set(KolType)
    for weights in WEIGHTS.values():
        assert math.fsum(weights.values()) == pytest.approx(1.0)


def test_unknown_signals_contribute_nothing() -> None:
    typing = classify_kol(KolSignals())
    assert typing.kol_type is KolType.INFLUENCER  # the generic creator when nothing is known
    assert set(typing.scores.values()) == {0.0}
    scored = [r for r in typing.reasons if r.kol_type is not None]
    unknown = [r for r in scored if r.value is None]
    assert {r.signal for r in unknown} == {"credentials", "authority_percentile",
                                           "niche_percentile", "followers", "engagement_rate",
                                           "sponsored_share", "review_share"}
    assert all(r.note.startswith("unknown:") and not r.met for r in unknown)
    assert typing.summary.startswith("no type has a positive score")


def test_virtual_influencer_keeps_its_type_and_is_flagged() -> None:
    typing = classify_kol(LIFESTYLE.model_copy(update={"is_virtual": True}))
    assert typing.kol_type is KolType.INFLUENCER and typing.is_virtual
    flag = next(r for r in typing.reasons if r.signal == "is_virtual")
    assert flag.met and flag.contribution == 0.0 and "virtual" in flag.note
    assert classify_kol(LIFESTYLE).is_virtual is False


def test_captions_count_claimed_credentials_only() -> None:
    mentions = CONSUMER.model_copy(update={"recent_captions": [*REVIEWS, "Ask your doctor first"]})
    assert classify_kol(mentions).credentials == []
    claims = CONSUMER.model_copy(update={"recent_captions": [*REVIEWS, "As a nurse, I wash often"]})
    typing = classify_kol(claims)
    assert typing.credentials == ["nurse"]
    note = next(r.note for r in typing.reasons
                if r.kol_type is KolType.EXPERT and r.signal == "credentials")
    assert note == "captions claim nurse"


def test_result_is_versioned_and_serialisable() -> None:
    typing = classify_kol(DERMATOLOGIST)
    assert typing.method_version == KOL_TYPE_METHOD_VERSION == "kol-type-1"
    dumped = typing.model_dump(mode="json")
    assert dumped["kol_type"] == "expert" and dumped["reasons"][0]["kol_type"] == "expert"
    assert type(typing).model_validate(dumped) == typing


@pytest.mark.parametrize(("text", "keys"), [
    ("皮肤科医生", ["dermatologist", "doctor"]),
    ("资深工程师 | 数码测评", ["engineer"]),
    ("Board-certified dermatologist", ["certified", "dermatologist"]),
    ("Jane Lee, MD", ["doctor"]),
    ("M.D., FAAD", ["doctor"]),
    ("Dr. Lee", ["doctor"]),
    ("Dr 李 · 主治医师", ["doctor"]),
    ("Registered dietitian/注册营养师", ["nutritionist"]),
    ("Software engineer and game developer", ["engineer", "developer"]),
    ("Tax lawyer/税务律师", ["lawyer"]),
    ("CFA charterholder", ["financial_advisor"]),
    ("Certified personal trainer/健身教练", ["certified_trainer"]),
    ("RN · mom of 3", ["nurse"]),
    ("PhD in chemistry, professor", ["phd", "professor"]),
    ("兽医 | 宠物健康", ["veterinarian"]),
    ("Pastry chef & sommelier", ["chef", "sommelier"]),
    ("执业药师", ["certified", "pharmacist"]),
])
def test_credentials_in_english_and_chinese(text: str, keys: list[str]) -> None:
    assert detect_credentials(text) == keys


@pytest.mark.parametrize("text", [
    "doctor who fan",
    "Dr Pepper addict, Dr. Martens collector",
    "Dr.Jart+ cicapair review",
    "markdown, mdx and cmd tricks",
    "Mdina, Malta",
    "Baltimore, MD 21201",
    "Ocean City, MD, USA",
    "Visit us at 123 Ocean Dr. Miami",
    "designer bags and doctors' appointments",
    "博士伦隐形眼镜测评",
    "微博认证：美妆博主",
    "dr. who? not me",
])
def test_false_friends_are_not_credentials(text: str) -> None:
    assert detect_credentials(text) == []


def test_claimed_credentials_need_a_first_person_claim() -> None:
    assert claimed_credentials("As a board-certified dermatologist, I use SPF") == [
        "certified", "dermatologist"]
    assert claimed_credentials("我是一名工程师，今天测评耳机") == ["engineer"]
    assert claimed_credentials("My doctor said so") == []
    assert claimed_credentials("医生说要多喝水") == []


def test_review_share_counts_first_hand_reviews() -> None:
    assert review_share(REVIEWS) == 0.75
    assert review_share([]) is None


def test_invalid_inputs_are_refused() -> None:
    with pytest.raises(ValidationError):
        KolSignals(sponsored_share=1.5)
    with pytest.raises(ValidationError):
        KolSignals(authority_percentile=101)
    with pytest.raises(ValidationError):
        KolThresholds(koc_max_followers=2_000_000)


@pytest.mark.parametrize("module", [kol_types, credentials_module])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0
