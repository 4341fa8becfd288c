"""The platforms and content formats kolscope models, West and China in one vocabulary."""

from enum import StrEnum


class Platform(StrEnum):
    """A social or publishing platform an account lives on."""

    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    X = "x"
    LINKEDIN = "linkedin"
    WEIBO = "weibo"
    WECHAT = "wechat"
    DOUYIN = "douyin"
    XIAOHONGSHU = "xiaohongshu"
    BILIBILI = "bilibili"
    PODCAST = "podcast"
    BLOG = "blog"
    FORUM = "forum"
    OTHER = "other"


CHINESE_PLATFORMS = frozenset(
    {Platform.WEIBO, Platform.WECHAT, Platform.DOUYIN, Platform.XIAOHONGSHU, Platform.BILIBILI}
)

# Common spellings in exports, so a CSV saying "RED" or "twitter" still lands on the right platform.
PLATFORM_ALIASES: dict[str, Platform] = {
    "ig": Platform.INSTAGRAM,
    "twitter": Platform.X,
    "yt": Platform.YOUTUBE,
    "red": Platform.XIAOHONGSHU,
    "xhs": Platform.XIAOHONGSHU,
    "小红书": Platform.XIAOHONGSHU,
    "微博": Platform.WEIBO,
    "微信": Platform.WECHAT,
    "抖音": Platform.DOUYIN,
    "b站": Platform.BILIBILI,
    "哔哩哔哩": Platform.BILIBILI,
}


def parse_platform(value: str) -> Platform:
    """Return the platform named by ``value`` (case-insensitive, aliases allowed).

    Raises ``ValueError`` naming the accepted values when nothing matches.
    """
    key = value.strip().lower()
    if key in PLATFORM_ALIASES:
        return PLATFORM_ALIASES[key]
    try:
        return Platform(key)
    except ValueError:
        accepted = ", ".join(p.value for p in Platform)
        raise ValueError(f"unknown platform {value!r}; expected one of: {accepted}") from None


class PostFormat(StrEnum):
    """The shape of a piece of content."""

    IMAGE = "image"
    CAROUSEL = "carousel"
    VIDEO = "video"
    SHORT_VIDEO = "short_video"
    LIVE_STREAM = "live_stream"
    STORY = "story"
    ARTICLE = "article"
    PODCAST_EPISODE = "podcast_episode"
    WEBINAR = "webinar"


def parse_post_format(value: str) -> PostFormat:
    """Return the format named by ``value``; spaces and hyphens count as underscores."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {"reel": PostFormat.SHORT_VIDEO, "short": PostFormat.SHORT_VIDEO,
               "live": PostFormat.LIVE_STREAM, "sidecar": PostFormat.CAROUSEL,
               "photo": PostFormat.IMAGE, "episode": PostFormat.PODCAST_EPISODE}
    if key in aliases:
        return aliases[key]
    try:
        return PostFormat(key)
    except ValueError:
        accepted = ", ".join(f.value for f in PostFormat)
        raise ValueError(f"unknown post format {value!r}; expected one of: {accepted}") from None
