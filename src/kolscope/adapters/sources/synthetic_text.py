"""Words and templates of the synthetic world: bios, captions and comments in English and Chinese.

Kept apart from the generator so the numbers model reads on its own. Every draw goes through
:class:`Dice`, which uses nothing but ``random.Random.random()`` (the one method whose sequence
Python promises to keep across versions), so a seed gives the same text on every Python.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Sequence
from typing import NamedTuple, TypeVar

from kolscope.core.discovery.niches import NICHES

T = TypeVar("T")
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


class Dice:
    """Reproducible draws from one ``random.Random`` stream."""

    __slots__ = ("u",)

    def __init__(self, key: int) -> None:
        self.u = random.Random(key).random

    def below(self, n: int) -> int:
        return int(self.u() * n)

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.u() * len(items))]

    def chance(self, p: float) -> bool:
        return self.u() < p

    def normal(self) -> float:
        return math.sqrt(-2.0 * math.log(1.0 - self.u())) * math.cos(2.0 * math.pi * self.u())

    def lognormal(self, median: float, sd: float) -> float:
        return median * math.exp(sd * self.normal())

    def weighted(self, cumulative: Sequence[float]) -> int:
        """An index drawn with the weights whose running totals are ``cumulative``."""
        return bisect(cumulative, self.u() * cumulative[-1])

    def poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, round(lam + math.sqrt(lam) * self.normal()))
        limit, k, p = math.exp(-lam), 0, self.u()
        while p > limit:
            k += 1
            p *= self.u()
        return k


class Vocab(NamedTuple):
    """A niche's words: products and hashtags in both languages, and its expert credentials."""

    products: tuple[str, ...]
    products_zh: tuple[str, ...]
    tags: tuple[str, ...]
    tags_zh: tuple[str, ...]
    credentials: tuple[tuple[str, str], ...]
    stem: str
    stem_zh: str


def _vocab(products: str, products_zh: str, tags: str, tags_zh: str, creds: str,
           stem: str, stem_zh: str) -> Vocab:
    pairs = tuple(tuple(c.split("/")) for c in creds.split(";") if c)
    return Vocab(tuple(products.split(",")), tuple(products_zh.split(",")), tuple(tags.split()),
                 tuple(tags_zh.split()), pairs, stem, stem_zh)  # type: ignore[arg-type]


VOCAB: dict[str, Vocab] = {
    "fashion": _vocab("linen blazer,white sneakers,silk scarf,denim jacket,tote bag,trench coat",
                      "西装外套,小白鞋,丝巾,牛仔外套,托特包,风衣", "ootd fashion style",
                      "穿搭 每日穿搭 时尚", "Fashion designer/服装设计师", "style", "chuanda"),
    "beauty": _vocab("vitamin C serum,mineral sunscreen,gentle cleanser,retinol cream,lip tint,"
                     "cushion foundation", "维C精华,防晒霜,洁面乳,视黄醇面霜,唇釉,气垫粉底",
                     "skincare beauty makeup", "护肤 美妆 好物分享",
                     "Board-certified dermatologist/皮肤科医生;Cosmetic chemist/化妆品配方师",
                     "glow", "hufu"),
    "technology": _vocab("noise-cancelling headphones,mechanical keyboard,smartwatch,USB-C dock,"
                         "mirrorless camera,e-reader",
                         "降噪耳机,机械键盘,智能手表,扩展坞,微单相机,电纸书",
                         "tech gadgets review", "数码 科技 开箱",
                         "Software engineer/软件工程师;Hardware engineer/硬件工程师",
                         "tech", "keji"),
    "travel": _vocab("carry-on suitcase,travel pillow,boutique hotel,rail pass,packing cubes,"
                     "city guide", "登机箱,旅行枕,精品酒店,火车通票,收纳袋,城市攻略",
                     "travel wanderlust travelgram", "旅行 旅游攻略 周末去哪儿",
                     "Travel journalist/旅行记者", "travels", "lvxing"),
    "food": _vocab("cast-iron pan,sourdough starter,matcha,chili oil,espresso machine,rice cooker",
                   "铸铁锅,酸种面包,抹茶,辣椒油,咖啡机,电饭煲", "food foodie recipe",
                   "美食 探店 家常菜", "Professional chef/厨师;Pastry chef/甜点师", "eats",
                   "meishi"),
    "fitness": _vocab("resistance bands,protein powder,running shoes,yoga mat,kettlebell,"
                      "foam roller", "弹力带,蛋白粉,跑鞋,瑜伽垫,壶铃,泡沫轴",
                      "fitness workout gym", "健身 减脂 运动打卡",
                      "Certified personal trainer/健身教练;Physiotherapist/康复治疗师",
                      "fit", "jianshen"),
    "health": _vocab("probiotic,vitamin D,blood pressure monitor,sleep tracker,electric toothbrush,"
                     "magnesium", "益生菌,维生素D,血压计,睡眠手环,电动牙刷,镁片",
                     "health wellness medicine", "健康 科普 养生",
                     "Doctor of medicine/内科医生;Registered pharmacist/药剂师;"
                     "Registered dietitian/注册营养师", "health", "jiankang"),
    "finance": _vocab("index fund,budgeting app,savings account,credit card,pension plan,"
                      "robo-adviser", "指数基金,记账软件,货币基金,信用卡,养老金计划,智能投顾",
                      "personalfinance investing money", "理财 基金 财经",
                      "CFA charterholder/特许金融分析师;Tax lawyer/税务律师", "money", "licai"),
    "gaming": _vocab("gaming headset,controller,gaming chair,indie game,handheld console,"
                     "capture card", "游戏耳机,手柄,电竞椅,独立游戏,掌机,采集卡",
                     "gaming gamer esports", "游戏 电竞 主机游戏",
                     "Game developer/游戏开发者", "plays", "youxi"),
    "parenting": _vocab("baby carrier,stroller,bottle warmer,diaper bag,baby monitor,picture book",
                        "婴儿背带,婴儿车,温奶器,妈咪包,婴儿监视器,绘本", "momlife parenting family",
                        "母婴 育儿 亲子", "Pediatrician/儿科医生;Midwife/助产士", "family", "yuer"),
    "pets": _vocab("cat litter,dog harness,pet camera,grain-free kibble,scratching post,chew toy",
                   "猫砂,狗狗胸背,宠物摄像头,无谷狗粮,猫抓板,磨牙玩具",
                   "pets dogsofinstagram catlife",
                   "萌宠 猫咪 狗狗", "Veterinarian/兽医", "paws", "mengchong"),
    "home": _vocab("linen bedding,air purifier,robot vacuum,scented candle,storage baskets,"
                   "floor lamp", "亚麻床品,空气净化器,扫地机器人,香薰蜡烛,收纳筐,落地灯",
                   "homedecor interior cozyhome", "家居 装修 收纳",
                   "Interior architect/室内设计师", "home", "jiaju"),
    "education": _vocab("flashcard app,online course,fountain pen,study planner,language app,"
                        "e-reader", "背单词软件,网课,钢笔,学习计划本,口语软件,阅读器",
                        "studygram learning education", "学习 考研 知识分享",
                        "Secondary school teacher/中学教师;University lecturer/大学讲师",
                        "learns", "xuexi"),
    "luxury": _vocab("leather handbag,automatic watch,cashmere coat,fine jewellery,silk tie,"
                     "fragrance", "皮包,机械表,羊绒大衣,珠宝,真丝领带,香水",
                     "luxury luxurylifestyle",
                     "奢侈品 腕表 高定", "Watchmaker/制表师", "luxe", "shepin"),
    "automotive": _vocab("EV charger,dash cam,car wax,all-season tyres,roof box,car vacuum",
                         "充电桩,行车记录仪,车蜡,四季胎,车顶箱,车载吸尘器", "cars carreview ev",
                         "汽车 新能源 试驾", "Automotive engineer/汽车工程师", "drives", "qiche"),
    "entertainment": _vocab("vinyl record,concert ticket,wireless speaker,streaming subscription,"
                            "film camera,microphone",
                            "黑胶唱片,演唱会门票,蓝牙音箱,会员订阅,胶片相机,麦克风",
                            "music newmusic livemusic", "音乐 娱乐 演唱会",
                            "Music producer/音乐制作人", "music", "yinyue"),
    "sports": _vocab("football boots,tennis racket,sports watch,compression socks,cycling helmet,"
                     "swim goggles", "足球鞋,网球拍,运动手表,压缩袜,骑行头盔,泳镜",
                     "sports football training", "体育 足球 跑步",
                     "Licensed football coach/足球教练", "sport", "tiyu"),
    "lifestyle": _vocab("morning routine,journal,coffee mug,houseplant,canvas bag,scented candle",
                        "晨间习惯,手帐,马克杯,绿植,帆布包,香薰", "lifestyle dailylife selfcare",
                        "生活方式 日常 vlog", "", "life", "shenghuo"),
    "photography": _vocab("prime lens,tripod,film roll,camera bag,editing preset,print service",
                          "定焦镜头,三脚架,胶卷,相机包,调色预设,照片冲印",
                          "photography photooftheday",
                          "摄影 胶片 扫街", "Professional photographer/职业摄影师", "shoots",
                          "sheying"),
    "business": _vocab("CRM tool,standing desk,newsletter platform,notebook,pitch deck template,"
                       "productivity app",
                       "客户管理软件,升降桌,邮件订阅平台,笔记本,路演模板,效率软件",
                       "business marketing startup", "创业 职场 营销",
                       "Corporate lawyer/公司律师;Marketing professor/市场营销教授", "biz",
                       "chuangye"),
    "outdoors": _vocab("hiking boots,tent,rain jacket,trekking poles,water filter,headlamp",
                       "登山鞋,帐篷,冲锋衣,登山杖,净水器,头灯", "hiking outdoors nature",
                       "户外 徒步 露营", "Mountain guide/登山向导", "trails", "huwai"),
    "other": _vocab("gift box,notebook,water bottle,phone case,backpack,umbrella",
                    "礼盒,笔记本,水杯,手机壳,双肩包,雨伞", "daily goodvibes", "分享 日常",
                    "", "daily", "richang"),
}

# Fictional brands, four a niche: (handle, English name, Chinese name).
_BRAND_NAMES = (
    "fashion:Linea Nord/北线,Mossweave/苔织,Velvetine/绒言,Harbor Thread/港线;"
    "beauty:Lumiere Lab/露米耶,Dewpoint/露点,Petalcraft/花匠,Oakmoss Skin/橡苔;"
    "technology:Voltwise/伏特智,Nimbus Audio/云声,Keyforge/键铸,Pixelloom/像织;"
    "travel:Wayfarer Co/远行,Tidepass/潮通,Compass Inn/罗盘旅舍,Northbound Bags/北向;"
    "food:Copperpot/铜锅,Saltleaf/盐叶,Emberbrew/余烬咖啡,Rice and Reed/禾苇;"
    "fitness:Ironpeak/铁峰,Flowmat/流垫,Stridelab/步研,Corevia/核途;"
    "health:Vitalis Labs/维泰,Sleepwell Band/安眠环,Brightdent/亮齿,Calmroot/静根;"
    "finance:Ledgerly/账迹,Coinnest/币巢,Steadyfund/稳基,Clearcard/清卡;"
    "gaming:Raidcraft/突袭工坊,Pixelforge Games/像铸游戏,Gripline/握线,Lootbox Audio/宝箱音频;"
    "parenting:Little Nest/小窝,Cuddleway/抱抱途,Babybloom/宝花,Tinysteps/小步;"
    "pets:Purrfect Co/喵好,Wagworks/摇尾工坊,Furnest/毛巢,Barkbite/汪咬;"
    "home:Nestory/巢事,Airleaf/气叶,Loomhaus/织屋,Cindel Candles/烛影;"
    "education:Brightpath/明途,Quillnote/羽记,Lingoleaf/语叶,Studyfox/学狐;"
    "luxury:Maison Verel/维雷尔之家,Orlogio/时韵,Cashmira/羊绒宫,Aurum Atelier/金坊;"
    "automotive:Voltdrive/伏驱,Roadsense/路感,Gleamcar/亮车,Tyrewise/智胎;"
    "entertainment:Soundhive/声巢,Vinylry/黑胶坊,Stagepass/舞台通,Echobox/回声盒;"
    "sports:Kickline/踢线,Courtace/场王,Pedalpro/踏频,Swimfin/泳鳍;"
    "lifestyle:Daybloom/日花,Mugsy/杯语,Greenleaf Home/绿叶家,Slowday/慢日;"
    "photography:Lenscraft/镜匠,Filmhaus/胶片屋,Tripodium/三脚台,Printory/印坊;"
    "business:Pipeflow/管道流,Desklift/升桌,Inkletter/墨信,Pitchdeck Pro/路演宝;"
    "outdoors:Trailmark/径标,Summit Gear/峰装,Rainshell/雨壳,Campfly/营飞;"
    "other:Everyday Goods/日常好物,Handy Co/顺手,Giftly/礼意,Brolly/伞伞"
)


class Brand(NamedTuple):
    handle: str
    name: str
    name_zh: str


def _brands() -> dict[str, tuple[Brand, ...]]:
    table: dict[str, tuple[Brand, ...]] = {}
    for part in _BRAND_NAMES.split(";"):
        niche, names = part.split(":")
        table[niche] = tuple(Brand("".join(c for c in en.lower() if c.isalpha()), en, zh)
                             for en, zh in (n.split("/") for n in names.split(",")))
    return table


BRANDS = _brands()
BRAND_INDEX = {b.handle: i for i, b in enumerate(b for group in BRANDS.values() for b in group)}

FIRST = ("mia olivia noah liam emma ava lucas zoe ethan maya leo chloe isaac nora owen ruby "
         "aria jack ella sam nina theo iris max luna adam sara omar lea kai").split()
LAST = ("chen smith garcia patel kim nguyen brown silva rossi muller lopez cohen khan ito "
        "jones novak berg costa walsh reyes").split()
PINYIN = ("xiaolu tangtang ameng dawei chengzi mumu qiqi doudou kele yiyi xiaoyu lele nannan "
          "jiajia xiaomi huahua bobo ranran tiantian xixi").split()
NICK_ZH = ("小鹿 糖糖 阿萌 大伟 橙子 木木 七七 豆豆 可乐 一一 小雨 乐乐 楠楠 佳佳 小米 花花 波波 "
           "然然 甜甜 西西").split()
BOT_STEMS = ("user insta follow lovely best daily top real its the").split()
BOT_STEMS_ZH = ("yonghu weibo mi shouji xiaohao fensi").split()
CITIES = ("Lisbon,Kyoto,Cape Town,New York,Bali,Reykjavik,Mexico City,Edinburgh,Vancouver,"
          "Marrakech").split(",")
CITIES_ZH = "成都,大理,杭州,厦门,西安,三亚,重庆,上海,青岛,丽江".split(",")

_ADJ = ("lightweight,game-changing,surprisingly good,so underrated,worth the hype,affordable,"
        "long-lasting,beautifully made").split(",")
_ADJ_ZH = "真的好用,性价比超高,颜值很高,质感很好,值得入手,用了会回购".split(",")
_VERDICT = ("worth every penny,okay but overpriced,did not work for me,better than expected,"
            "a solid everyday pick").split(",")
_VERDICT_ZH = "真心推荐,一般般有点贵,不太适合我,比预期好,日常够用".split(",")
_TIP = ("read the label, not the marketing,consistency beats intensity,ask for the evidence first,"
        "start small and track what changes,cheaper often works just as well").split(",")
_TIP_ZH = ("看成分不看广告,坚持比强度重要,先看证据再下单,从小剂量开始记录变化,"
           "便宜的也可能一样好用").split(",")
_DISCLOSURE = ("#ad", "#sponsored", "#paidpartnership", "#ad")
_DISCLOSURE_ZH = ("#广告 ", "【广告】", "#合作 ", "【合作】")

CAPTIONS = {
    "regular": ("New week, new {product}. Honestly {adj} and worth it.",
                "Sunday reset with my favourite {product} ✨",
                "Trying the {product} everyone keeps asking about. Thoughts below 👇",
                "Is the {product} {adj}? Here is my take.",
                "Behind the scenes of today's shoot with the {product}"),
    "regular_zh": ("今天分享一下我最近爱用的{product}，{adj}！", "周末日常｜{product}真的绝了",
                   "大家一直问的{product}来啦，看图 👇", "{product}到底值不值？说说我的感受",
                   "拍摄花絮：{product}上镜效果"),
    "sponsored": ("{disclosure} Loving the new {product} from @{brand} — {adj}. "
                  "Code SYN15 for 15% off",
                  "Partnered with @{brand} to test their {product}. {adj}! {disclosure}"),
    "sponsored_zh": ("{disclosure}感谢 @{brand} 的邀请，试用了新款{product}，{adj}",
                     "{disclosure}这次和{brand_zh}一起种草{product}，{adj}"),
    "undisclosed": ("Obsessed with my @{brand} {product} lately 😍 link in bio",
                    "Cannot stop using the {brand_name} {product}. {adj}, go get it @{brand}"),
    "undisclosed_zh": ("最近离不开 @{brand} 的{product} 😍 链接在主页",
                       "{brand_zh}的{product}{adj}，冲！"),
    "koc": ("Honest review after {weeks} weeks with the {brand_name} {product}: {verdict}. "
            "Bought it myself.", "Bought the {product} with my own money. Verdict: {verdict}."),
    "koc_zh": ("自费购买！用了{weeks}周的{brand_zh}{product}真实测评：{verdict}",
               "不是广告，真心分享：{product}{verdict}"),
    "expert": ("As a {credential}, here's what I tell people about {product}: {tip}.",
               "Myth vs fact, {product} edition: {tip}."),
    "expert_zh": ("作为{credential}，说说{product}的误区：{tip}",
                  "{credential}科普：关于{product}，{tip}"),
}
COMMENTS = {
    "audience": ("Love this! 😍", "Where did you get the {product}?",
                 "Need this {product} in my life",
                 "Great tip, thanks!", "How long until you saw results?", "This is {adj}",
                 "Saving this for later 🙌", "Totally agree about the {product}",
                 "Is the {product} worth it?", "I have the same {product}, {adj}",
                 "Ordered the {product} after your last post", "The {product} looks {adj}",
                 "Does the {product} come in other colours?", "Thanks for the honest take",
                 "My {product} arrived today!", "Been using the {product} for a month, {adj}"),
    "audience_zh": ("求链接！{product}在哪买的？", "太好看了吧 😍", "已收藏，谢谢分享",
                    "{product}真的好用吗？",
                    "学到了！", "{product}{adj}", "同款{product}，{adj}",
                    "看完就去买了{product}", "{product}用了一个月，{adj}", "这个{product}多少钱？",
                    "谢谢博主的真实分享", "{product}有别的颜色吗？"),
    "peer": ("Great breakdown! Agree on the {product} 👏", "So good, we should collab soon",
             "Love your take on this", "Spot on, I tell my followers the same"),
    "peer_zh": ("说得太对了，{product}确实要这样选", "干货满满，支持！", "一起合作呀",
                "同款{product}，认同"),
    "bot": ("Nice pic 🔥", "😍😍😍", "🔥🔥", "Follow back?", "Great content! Check my page 💯",
            "DM us for a collab 💰", "Amazing ❤️", "👏👏👏", "Nice", "Love it 💕"),
    "bot_zh": ("好看", "赞赞赞", "[赞][赞][赞]", "互关", "支持一下", "👍👍", "来了来了"),
}
BIOS = {
    "influencer": ("{niche} creator | {city} | collabs: hello@{handle}.example",
                   "Sharing my {niche} finds every week ✨", "{niche} • daily posts • {city}"),
    "influencer_zh": ("{niche}博主｜{city}｜合作请私信", "每周分享{niche}好物 ✨",
                      "{niche}日常记录｜{city}"),
    "koc": ("Just sharing what I buy and whether it's any good", "Real reviews, my own money"),
    "koc_zh": ("自费分享，真实测评", "普通上班族，记录买过的东西"),
    "expert": ("{credential} | {niche} without the hype",
               "{credential}. Evidence-based {niche} tips"),
    "expert_zh": ("{credential}｜科学{niche}", "{credential}，用证据讲{niche}"),
}


def hashtags(dice: Dice, vocab: Vocab, zh: bool) -> str:
    """One to three niche hashtags; Chinese ones end with a space so the tag ends there."""
    tags = vocab.tags_zh if zh else vocab.tags
    chosen = dict.fromkeys(dice.pick(tags) for _ in range(1 + dice.below(3)))
    return ("".join(f"#{t} " for t in chosen) if zh else " ".join(f"#{t}" for t in chosen))


def fill(dice: Dice, template: str, vocab: Vocab, zh: bool, **extra: str) -> str:
    """``template`` with the niche's product and adjectives filled in."""
    words = {"product": dice.pick(vocab.products_zh if zh else vocab.products),
             "adj": dice.pick(_ADJ_ZH if zh else _ADJ), **extra}
    return template.format_map(words)


def caption(dice: Dice, style: str, vocab: Vocab, zh: bool, *, brand: Brand | None,
            credential: str, mentions: Sequence[str]) -> str:
    """A post caption of ``style`` (regular, sponsored, undisclosed, koc or expert)."""
    key = f"{style}_zh" if zh else style
    brand = brand or Brand("", "", "")
    text = fill(dice, dice.pick(CAPTIONS[key]), vocab, zh, brand=brand.handle,
                brand_name=brand.name, brand_zh=brand.name_zh, credential=credential,
                weeks=str(2 + dice.below(7)), verdict=dice.pick(_VERDICT_ZH if zh else _VERDICT),
                tip=dice.pick(_TIP_ZH if zh else _TIP),
                disclosure=dice.pick(_DISCLOSURE_ZH if zh else _DISCLOSURE))
    people = "".join(f" @{h} " for h in mentions) if zh else "".join(f" @{h}" for h in mentions)
    return f"{text}{people} {hashtags(dice, vocab, zh)}".strip()


# People add a word of their own to a comment; bots paste theirs as they are.
_AFTERTHOUGHTS = ("", "", " My sister swears by it too.", " Adding it to my list.",
                  " Finally someone says it!", " Been waiting for this post.",
                  " Trying it this weekend.", " Which shade/size did you get?",
                  " You always find the best stuff.", " Still thinking about your last post.",
                  " 🙏", " 💯", " ✨", " 😂", " Can you do a follow-up?", " Same here!")
_AFTERTHOUGHTS_ZH = ("", "", "姐妹们冲", "我也想买", "蹲一个后续", "已经下单了", "求出教程",
                     "每次都被种草", "说到心坎里了", "🙏", "✨", "哈哈哈", "码住", "同问")


def comment(dice: Dice, author: str, vocab: Vocab, zh: bool) -> str:
    """A comment by an ``author`` kind: audience, peer (another creator) or bot."""
    text = fill(dice, dice.pick(COMMENTS[f"{author}_zh" if zh else author]), vocab, zh)
    if author == "bot":
        return text
    extra = _AFTERTHOUGHTS_ZH if zh else _AFTERTHOUGHTS
    text += dice.pick(extra)
    return text + dice.pick(extra) if dice.chance(0.3) else text


def bio(dice: Dice, kind: str, niche_label: str, vocab: Vocab, zh: bool, *, credential: str,
        handle: str) -> str:
    """A profile bio; experts name their credential in it."""
    key = f"{kind}_zh" if zh else kind
    return dice.pick(BIOS[key]).format(niche=niche_label, credential=credential, handle=handle,
                                       city=dice.pick(CITIES_ZH if zh else CITIES))


def b36(n: int) -> str:
    """``n`` in base 36: the short index suffix that keeps every handle unique."""
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _B36[r] + out
        if not n:
            return out


def mix(*parts: int) -> int:
    """A cheap, stable 64-bit hash (splitmix64 rounds), for names of audience members and bots."""
    x = 0x9E3779B97F4A7C15
    for part in parts:
        x = ((x ^ part) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        x ^= x >> 31
    return x


def fan_handle(seed: int, member: int, *, zh: bool) -> str:
    """An audience member's handle: a name and the member's number, ``mia_2k``."""
    h = mix(seed, member)
    if zh:
        return f"{PINYIN[h % len(PINYIN)]}_{b36(member)}"
    last = LAST[(h >> 16) % len(LAST)] if (h >> 40) & 1 else ""
    return f"{FIRST[h % len(FIRST)]}{last}_{b36(member)}"


def bot_handle(seed: int, bot: int, *, zh: bool) -> str:
    """A bot's handle: a stock word and many digits, ``user10004521``, as bot farms name them."""
    stems = BOT_STEMS_ZH if zh else BOT_STEMS
    return f"{stems[mix(seed, bot, 1) % len(stems)]}{10_000_000 + bot}"


def names(kind: str, credential: tuple[str, str] | None, given: str, last: str, nick: int,
          niche: str, family: str) -> tuple[str, str, str]:
    """A creator's English and Chinese display names and handle stem; experts show their title."""
    vocab, zh_nick = VOCAB[niche], NICK_ZH[nick]
    name, name_zh = f"{given.title()} {last.title()}", f"{zh_nick}爱{NICHES[niche].label_zh}"
    stem = f"{given}{vocab.stem}"
    if kind == "koc":
        name, name_zh = f"{given.title()} {last[0].upper()}.", f"{zh_nick}的日常"
        stem = f"{given}finds"
    elif credential is not None:
        doctor = any(w in credential[0] for w in ("Doctor", "dermatologist", "Pediatric", "Veter"))
        name = f"Dr. {name}" if doctor else f"{name} | {credential[0]}"
        name_zh, stem = f"{credential[1]}{zh_nick}", f"dr{last}" if doctor else f"{given}{last}"
    if family == "china":
        stem = PINYIN[nick] + ("zifei" if kind == "koc" else vocab.stem_zh)
    return name, name_zh, stem[:20]
