"""Platform and post-format names: canonical values, aliases and helpful errors."""

from __future__ import annotations

import pytest

from kolscope.core.platforms import (
    CHINESE_PLATFORMS,
    Platform,
    PostFormat,
    parse_platform,
    parse_post_format,
)


@pytest.mark.parametrize(("name", "expected"), [
    ("instagram", Platform.INSTAGRAM),
    ("Instagram", Platform.INSTAGRAM),
    ("  TikTok ", Platform.TIKTOK),
    ("ig", Platform.INSTAGRAM),
    ("twitter", Platform.X),
    ("Twitter", Platform.X),
    ("x", Platform.X),
    ("yt", Platform.YOUTUBE),
    ("RED", Platform.XIAOHONGSHU),
    ("xhs", Platform.XIAOHONGSHU),
    ("小红书", Platform.XIAOHONGSHU),
    ("微博", Platform.WEIBO),
    ("微信", Platform.WECHAT),
    ("抖音", Platform.DOUYIN),
    ("B站", Platform.BILIBILI),
    ("哔哩哔哩", Platform.BILIBILI),
    ("weibo", Platform.WEIBO),
])
def test_platform_names_and_aliases(name: str, expected: Platform) -> None:
    assert parse_platform(name) is expected


def test_every_platform_parses_from_its_own_value() -> None:
    for platform in Platform:
        assert parse_platform(platform.value) is platform


def test_unknown_platform_lists_the_accepted_values() -> None:
    with pytest.raises(ValueError, match="unknown platform 'myspace'") as info:
        parse_platform("myspace")
    message = str(info.value)
    for platform in Platform:
        assert platform.value in message


def test_chinese_platforms() -> None:
    assert {p.value for p in CHINESE_PLATFORMS} == {
        "weibo", "wechat", "douyin", "xiaohongshu", "bilibili"}
    assert Platform.INSTAGRAM not in CHINESE_PLATFORMS


@pytest.mark.parametrize(("name", "expected"), [
    ("image", PostFormat.IMAGE),
    ("photo", PostFormat.IMAGE),
    ("carousel", PostFormat.CAROUSEL),
    ("sidecar", PostFormat.CAROUSEL),
    ("video", PostFormat.VIDEO),
    ("reel", PostFormat.SHORT_VIDEO),
    ("Reel", PostFormat.SHORT_VIDEO),
    ("short", PostFormat.SHORT_VIDEO),
    ("short video", PostFormat.SHORT_VIDEO),
    ("short-video", PostFormat.SHORT_VIDEO),
    ("live", PostFormat.LIVE_STREAM),
    ("Live Stream", PostFormat.LIVE_STREAM),
    ("story", PostFormat.STORY),
    ("article", PostFormat.ARTICLE),
    ("episode", PostFormat.PODCAST_EPISODE),
    ("podcast_episode", PostFormat.PODCAST_EPISODE),
    ("webinar", PostFormat.WEBINAR),
])
def test_post_formats_and_aliases(name: str, expected: PostFormat) -> None:
    assert parse_post_format(name) is expected


def test_unknown_post_format_lists_the_accepted_values() -> None:
    with pytest.raises(ValueError, match="unknown post format 'hologram'") as info:
        parse_post_format("hologram")
    for post_format in PostFormat:
        assert post_format.value in str(info.value)
