"""The built-in brand-safety term lists, and how any term becomes a regular expression.

:mod:`kolscope.core.vetting.brand_safety` turns :data:`LEXICON` into keyword sets and matches
them with the patterns built here; :mod:`kolscope.core.vetting.affinity` reuses the folding and
the patterns for brand names and promotion wording. Each entry is
``(terms, exceptions)``, both ``;``-separated. A term is a word or phrase, matched on word
boundaries in Latin script and as a substring in Chinese; ``re:`` starts a regular expression.
An exception is a phrase whose match hides any match of the same set inside it: ``killing it``
keeps ``killing`` from counting as violence, ``跳楼价`` (rock-bottom price) keeps ``跳楼``
(jumping off a building) from counting.

The lists favour precision: words that are harmless in most captions (``shot``, ``high``,
``pot``, ``gun``, ``bomb``, ``slay``, ``nude`` as a colour, ``sexy``, ``bet``, ``vote``, Chinese
``杀`` in 秒杀 "flash sale", ``毒`` in 排毒 "detox", ``酒`` in 酒店 "hotel", bare ``赌`` in 赌气
"sulk" and 打赌 "make a bet") are left out or only listed inside unambiguous phrases.
The reasoning per choice is in ``docs/methods/brand-safety.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from kolscope.errors import InvalidInput

LEXICON: Mapping[tuple[str, str], tuple[str, str]] = MappingProxyType({
    ("profanity", "en"): (
        "re:[a-z]*f+u+c+k+[a-z]*; re:f[*@#!]+c?k[a-z]*; fuk; fukin; fuking; fuq; phuck; fck;"
        " fcking; effing; wtf; stfu; gtfo; re:[a-z]*shit[a-z]*; re:sh[*!1]t[a-z]*;"
        " re:bitch[a-z]*; re:b[*!1]tch[a-z]*;"
        " biatch; asshole; assholes; arsehole; arseholes; dumbass; jackass; smartass; asshat;"
        " asswipe; kiss my ass; arse; cunt; cunts; re:c[*]nts?; dickhead; dickheads;"
        " cocksucker; pussy; pussies; twat; twats; wanker; wankers; wank; tosser; bollocks;"
        " bastard; bastards; piss; pissed off; piss off; pissing; goddamn; goddamnit;"
        " goddammit; douchebag; douchebags; douche; slut; sluts; whore; whores; skank;"
        " screw you; horseshit",
        "shitake; shitakes; pussy willow; pussy willows"),
    ("profanity", "zh"): (
        "操你; 草你; 肏; 屄; 日你妈; 操你妈; 草泥马; 曹尼玛; 卧槽; 我操; 我草; 握草; 我艹; 艹;"
        " 你妈的; 他妈的; 妈的; 妈蛋; 妈逼; 傻逼; 傻b; 傻叉; 煞笔; 沙比; 二逼; 装逼; 牛逼; 撕逼;"
        " 逗逼; 鸡巴; 王八蛋; 混蛋; 滚蛋; 贱人; 婊子; 狗日的; 去死; 脑残; 智障; 白痴; 蠢货; 废物;"
        " 狗屎; 吃屎; 放屁; 你妹; 屌爆; 人渣; 畜生; 死全家; 滚粗; 碧池; 绿茶婊; 心机婊",
        "妈妈的; 姑妈的; 舅妈的; 姨妈的; 大妈的; 奶妈的; 后妈的; 干妈的; 宝妈的; 你妹妹;"
        " 去死皮; 去死角; 废物利用; 废物回收"),
    ("violence", "en"): (
        "re:murder(?:s|ed|er|ers|ing|ous)?; homicide; homicides; manslaughter; massacre;"
        " massacred; slaughter; slaughtered; genocide; ethnic cleansing; war crime; war crimes;"
        " re:behead[a-z]*; re:decapitat[a-z]*; dismember; dismembered;"
        " re:stab(?:s|bed|bing|bings)?;"
        " mass shooting; school shooting; drive by shooting; shooting spree; shot dead;"
        " shot and killed; gunman; gunmen; gunfire; gunshot; gunshots; gunpoint; gun violence;"
        " firearm; firearms; handgun; handguns; shotgun; assault rifle; assault rifles; rifle;"
        " rifles; ak 47; ar 15; kill; kills; killed; killing; killings; serial killer; hitman;"
        " torture; tortured; torturing; bloodbath; bloodshed; gory; gruesome; terrorist;"
        " terrorists; terrorism; terror attack; suicide bomber; suicide bombing; car bomb;"
        " pipe bomb; bomb threat; bombing; bombings; assault; assaulted; sexual assault; rape;"
        " raped; rapist; rapists; lynch; lynching; lynched; hostage; hostages; kidnap; kidnapped;"
        " kidnapping; abduction; strangle; strangled; suicide; self harm; kill myself;"
        " killing myself; cutting myself; hang myself; end my life; domestic violence;"
        " child abuse; animal abuse; animal cruelty; violence; violent; beaten to death;"
        " death threat; death threats; corpse; corpses; dead body; dead bodies; mutilation;"
        " mutilated",
        "kill it; kills it; killed it; killing it; killin it; killin' it; kill the game;"
        " killing the game; killed the game; dressed to kill; kill time; killing time;"
        " killing me; killed me; kill for; would kill for; kill two birds; kill switch;"
        " murdered it; murder it; murdering it; murdered that; murder mystery; call shotgun;"
        " riding shotgun; shotgun wedding; stab at; take a stab; rifle paper; suicide squad"),
    ("violence", "zh"): (
        "杀人; 杀害; 谋杀; 凶杀; 屠杀; 虐杀; 枪杀; 砍杀; 残杀; 杀了你; 杀死; 砍人; 砍死; 捅死;"
        " 刺死; 打死; 弄死; 掐死; 勒死; 枪击; 开枪; 枪支; 手枪; 步枪; 冲锋枪; 机枪; 枪战;"
        " 炸弹; 爆炸案; 恐怖袭击; 恐袭; 恐怖分子; 恐怖主义; 自杀; 自残; 割腕; 跳楼; 轻生;"
        " 斩首; 虐待; 家暴; 家庭暴力; 暴力; 血腥; 血案; 命案; 凶案; 尸体; 碎尸; 分尸;"
        " 强奸; 强暴; 性侵; 绑架; 人质; 持刀; 凶器; 行凶; 袭击; 战争罪; 种族灭绝; 殴打; 暴打; 斗殴",
        "杀死细菌; 杀死病菌; 杀死螨虫; 杀死病毒; 打死也不; 打死都不; 打死我也不; 暴力测试;"
        " 暴力测评; 暴力拆解; 暴力美学; 手枪腿; 手枪钻; 跳楼价; 跳楼大甩卖; 热量炸弹;"
        " 卡路里炸弹; 糖分炸弹; 沐浴炸弹; 颜值炸弹"),
    ("drugs", "en"): (
        "cocaine; crack cocaine; crack pipe; heroin; meth; crystal meth; methamphetamine;"
        " fentanyl; ketamine; mdma; ecstasy pills; lsd; acid trip; magic mushrooms; shrooms;"
        " psilocybin; dmt; opioid; opioids; oxycodone; oxycontin; percocet; xanax; codeine;"
        " purple drank; weed; marijuana; cannabis; thc; stoner; stoners; stoned; blaze it;"
        " 420 friendly; smoke weed; smoking weed; bong; bongs; thc gummies; weed gummies;"
        " dab rig; cokehead; line of coke; lines of coke; overdose; overdosed; drug dealer;"
        " drug dealers; drug deal; illegal drugs; recreational drugs; drug use; drug abuse;"
        " drug addict; drug addiction; narcotics; getting high; got high; cigarette; cigarettes;"
        " cigar; cigars; tobacco; vape; vapes; vaping; e cigarette; e cigarettes; juul; nicotine",
        "weed killer; weed control; weed whacker; weed barrier; cigarette pants;"
        " cigarette trousers; cigarette jeans; cigarette leg; cuteness overdose"),
    ("drugs", "zh"): (
        "毒品; 吸毒; 贩毒; 制毒; 运毒; 毒贩; 毒枭; 冰毒; 海洛因; 可卡因; 大麻; 摇头丸; k粉; 氯胺酮;"
        " 麻古; 鸦片; 吗啡; 芬太尼; 致幻剂; 迷幻药; 嗑药; 磕药; 吸食; 飞叶子; 笑气; 戒毒; 毒瘾;"
        " 甲基苯丙胺; 香烟; 抽烟; 吸烟; 烟草; 雪茄; 电子烟; 烟民; 尼古丁",
        "大麻籽; 大麻哈鱼"),
    ("alcohol", "en"): (
        "alcohol; alcoholic; booze; boozy; boozing; liquor; liqueur; beer; beers; craft beer;"
        " brewery; breweries; lager; pale ale; wine; wines; winery; wineries; wine tasting;"
        " red wine; white wine; rosé; prosecco; champagne; sangria; sommelier; vodka; whisky;"
        " whiskey; whiskies; bourbon; tequila; mezcal; rum; gin; cognac; absinthe; soju; baijiu;"
        " cocktail; cocktails; margarita; margaritas; mojito; mojitos; martini; martinis;"
        " negroni; aperol spritz; bottomless mimosas; drunk; tipsy; hangover; hungover;"
        " happy hour; pub crawl; bar crawl; beer pong; tequila shots; jello shots; jägerbomb",
        "alcohol free; no alcohol; non alcoholic; nonalcoholic; without alcohol; zero alcohol;"
        " denatured alcohol; cetyl alcohol; cetearyl alcohol; stearyl alcohol; benzyl alcohol;"
        " rubbing alcohol; isopropyl alcohol; wine red; wine colored; wine coloured;"
        " drunk elephant; champagne gold; champagne pink; champagne shimmer"),
    ("alcohol", "zh"): (
        "喝酒; 饮酒; 醉酒; 喝醉; 酒醉; 啤酒; 红酒; 白酒; 葡萄酒; 香槟; 威士忌; 伏特加; 龙舌兰;"
        " 朗姆酒; 金酒; 白兰地; 鸡尾酒; 清酒; 烧酒; 黄酒; 米酒; 果酒; 梅酒; 酒吧; 干杯; 微醺; 宿醉;"
        " 酒鬼; 酒局; 拼酒; 劝酒; 酒量; 酒驾; 茅台; 五粮液; 二锅头; 精酿; 调酒; 酒精饮料; 酒馆;"
        " 品酒; 酒庄",
        "红酒色; 葡萄酒色; 香槟色; 香槟金; 无酒精饮料"),
    ("gambling", "en"): (
        r"re:gambl[a-z]*; casino; casinos; online casino; crypto casino; poker; texas holdem;"
        " blackjack; roulette; baccarat; slot machine; slot machines; sportsbook; sports betting;"
        " betting odds; betting tips; betting site; betting sites; betting app; place your bets;"
        " bookie; bookies; bookmaker; bookmakers; parlay; parlays; wager; wagers; wagering;"
        " free spins; deposit bonus; lottery; lotto; scratch cards; bet365; betway; 1xbet;"
        " draftkings; fanduel; stake.com; pokies",
        "poker face; poker faced; baccarat rouge; baccarat crystal; genetic lottery; i'd wager;"
        " i would wager"),
    ("gambling", "zh"): (
        "赌博; 赌场; 赌钱; 赌局; 赌徒; 赌球; 赌马; 赌资; 赌债; 赌注; 赌桌; 赌王; 赌神; 聚赌; 网赌;"
        " 博彩; 彩票; 六合彩; 时时彩; 百家乐; 老虎机; 轮盘; 德州扑克; 下注; 赔率; 庄家; 彩金; 赌狗;"
        " 娱乐城; 真人荷官; 荷官",
        ""),
    ("adult", "en"): (
        r"re:porn[a-z]*; nsfw; onlyfans; fansly; sex; sex tape; sex toy; sex toys; sex video;"
        " sexting; sexual content; sexually explicit; explicit content; adults only; 18+; nudes;"
        " nude photos; naked photos; nude pics; dick pic; dick pics; escorts; escort service;"
        " escort girl; stripper; strippers; strip club; strip clubs; lap dance; erotic; erotica;"
        r" fetish; fetishes; bdsm; orgasm; orgasms; re:masturbat[a-z]*; dildo; dildos; vibrator;"
        " vibrators; butt plug; hentai; milf; blowjob; blow job; handjob; hand job; boobs; tits;"
        " titties; horny; prostitute; prostitutes; prostitution; brothel; hooker; hookers;"
        " sugar daddy; camgirl; cam girl; only fans",
        "sex and the city; sex education; sex ed; safe sex; food porn; earth porn; room porn;"
        " cabin porn; boob tube"),
    ("adult", "zh"): (
        "色情; 黄片; 黄色网站; 黄网; 成人视频; 成人网站; 成人影片; 三级片; a片; av女优; 裸照; 裸聊;"
        " 裸体; 全裸; 约炮; 一夜情; 嫖娼; 嫖客; 卖淫; 援交; 性交; 做爱; 口交; 自慰; 情色; 淫秽;"
        " 淫荡; 福利姬; 小黄文; 情趣用品; 成人用品; 性用品; 包养; 裸贷; 偷拍",
        "姜黄片; 蛋黄片; 大黄片"),
    ("politics", "en"): (
        "politics; political; politician; politicians; election; elections; electoral;"
        " midterms; ballot; ballots; democrat; democrats; democratic party; republican;"
        " republicans; gop; maga; liberals; leftist; leftists; far right; far left; alt right;"
        " right wing; left wing; trump; donald trump; biden; kamala harris; obama; putin;"
        " xi jinping; netanyahu; zelensky; senator; senate; congressman; congresswoman;"
        " parliament; prime minister; white house; downing street; impeachment; abortion;"
        " pro life; pro choice; roe v wade; gun control; immigration; border wall; deportation;"
        " refugees; protest; protests; protester; protesters; riot; riots; activist; activism;"
        " propaganda; regime; dictator; dictatorship; communism; communist; socialism;"
        " socialist; fascism; fascist; brexit; geopolitics; sanctions; war in ukraine; gaza;"
        " israel; palestine; hamas; hezbollah; black lives matter; blm; all lives matter;"
        " tiananmen; hong kong protests; free tibet; taiwan independence; xinjiang; uyghur;"
        " uyghurs",
        "trump card; riot games; skincare regime; skin care regime; beauty regime;"
        " skin regime; fitness regime; training regime; workout regime; haircare regime"),
    ("politics", "zh"): (
        "政治; 政党; 选举; 大选; 总统; 共产党; 国民党; 民进党; 中共; 习近平; 毛泽东; 领导人;"
        " 国家主席; 总书记; 抗议; 示威; 游行示威; 台独; 港独; 藏独; 疆独; 台湾独立; 六四;"
        " 天安门事件; 法轮功; 民主; 人权; 政权; 颠覆; 反华; 翻墙; 制裁; 美帝; 小粉红; 五毛; 公知;"
        " 一国两制; 特朗普; 川普; 拜登; 普京; 俄乌; 巴以; 哈马斯; 新疆棉",
        "六四开; 六四分"),
    ("hate", "en"): (
        r"re:n[i1!*]gg(?:er|a|ah|uh)[sz]?; faggot; faggots; fag; fags; dyke; dykes; tranny;"
        " trannies; shemale; retard; retards; retarded; spastic; spaz; midget; midgets; spic;"
        " spics; chink; chinks; gook; gooks; kike; kikes; wetback; wetbacks; raghead; ragheads;"
        " towelhead; towelheads; coon; coons; paki; pakis; beaner; beaners; white power;"
        " white supremacy; white supremacist; white supremacists; white pride; heil hitler;"
        " sieg heil; nazi; nazis; neo nazi; neonazi; kkk; ku klux klan; master race; 1488;"
        " go back to your country; subhuman; untermensch; dirty jew; dirty jews; feminazi",
        "chink in the armor; chink in the armour; chink of light; maine coon; maine coons;"
        " spic and span"),
    ("hate", "zh"): (
        "黑鬼; 尼哥; 支那; 小日本; 日本鬼子; 鬼子; 棒子; 高丽棒子; 阿三; 死基佬; 基佬; 人妖; 娘炮;"
        " 残废; 死胖子; 女拳; 田园女权; 辱华; 洋垃圾; 白皮猪; 蛮夷; 绿教; 黑蛆",
        "鬼子姜; 鬼子母; 玉米棒子; 棒子面; 棒子骨"),
})

# Traditional -> simplified, for the characters the lists and the promotion wording use: text is
# matched through this table, one character for one, so match offsets stay those of the text.
# Curly apostrophes become straight ones for the same reason ("killin’ it").
_PAIRS = (
    "賭赌 場场 錢钱 馬马 債债 網网 時时 樂乐 機机 輪轮 盤盘 撲扑 賠赔 莊庄 娛娱 體体 殺杀 謀谋"
    " 槍枪 殘残 擊击 開开 衝冲 鋒锋 戰战 彈弹 襲袭 義义 樓楼 輕轻 斬斩 屍尸 強强 姦奸 綁绑 質质"
    " 種种 滅灭 絕绝 毆殴 鬥斗 販贩 製制 運运 梟枭 搖摇 頭头 鴉鸦 嗎吗 藥药 飛飞 葉叶 氣气 癮瘾"
    " 煙烟 電电 飲饮 紅红 檳槟 龍龙 蘭兰 雞鸡 燒烧 黃黄 乾干 勸劝 駕驾 糧粮 鍋锅 釀酿 調调 館馆"
    " 視视 頻频 級级 優优 約约 賣卖 愛爱 穢秽 蕩荡 養养 貸贷 黨党 選选 舉举 總总 統统 產产 國国"
    " 進进 習习 澤泽 東东 領领 導导 書书 記记 議议 遊游 獨独 灣湾 門门 權权 顛颠 華华 牆墙 兩两"
    " 烏乌 麗丽 廢废 園园 豬猪 蠻蛮 綠绿 滾滚 媽妈 臥卧 筆笔 裝装 賤贱 腦脑 癡痴 貨货 測测 評评"
    " 價价 細细 蟎螨 蟲虫 熱热 顏颜 鑽钻 魚鱼 薑姜 碼码 鏈链 單单 團团 購购 現现 專专 屬属 間间"
    " 櫥橱 車车 點点 買买 郵邮 絲丝 後后 妳你 註注 惡恶 傷伤 驗验 線线 搶抢"
)
FOLD: Mapping[int, str] = MappingProxyType({
    **{ord(pair[0]): pair[1] for pair in _PAIRS.split()}, ord("’"): "'", ord("‘"): "'"})

# How terms match ------------------------------------------------------------------------------

REGEX_PREFIX = "re:"
MAX_TERMS = 2_000
MAX_TERM_CHARS = 100

# Latin letters and digits: a Latin-script term must not touch one on either side. CJK
# characters are not in the class, so "买weed了" still matches "weed", and "#gambling" does.
LATIN = "0-9a-z\u00c0-\u024f"
NOT_AFTER = f"(?<![{LATIN}])"
NOT_AFTER_HEAD = f"(?<![{LATIN}].)"  # the same, checked after the term's first character
NOT_BEFORE = f"(?![{LATIN}])"
GAP = r"[\s_\-]*"  # a space in a term: "online casino" = "online-casino" = "#onlinecasino"
GAPS = re.compile(r"[\s_\-]+")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_latin(char: str) -> bool:
    """Whether ``char`` is a Latin letter or a digit: what a Latin term must not touch."""
    return (char.isascii() and char.isalnum()) or "\u00c0" <= char.lower() <= "\u024f"


def fold(text: str) -> str:
    """``text`` in the form terms are matched in: traditional Chinese characters simplified,
    lower case, one character for one, so that match offsets are the text's own."""
    folded = text.translate(FOLD)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)  # "İ" -> "i̇"


def term_word(term: str) -> str:
    """A literal term folded, its spaces, hyphens and underscores made one space."""
    return GAPS.sub(" ", fold(term)).strip()


def trie_pattern(words: Iterable[str]) -> str:
    """One pattern for many literal terms, as a prefix tree: shared prefixes are tried once,
    longer terms before their prefixes, so the longest term at a position wins. Each branch
    starts with a plain character, which lets the regex engine skip positions no term starts
    at; the word-boundary check therefore comes after the first character."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return "|".join(_edge(c, root[c], head=True) for c in sorted(root))


def _edge(char: str, node: dict[str, Any], *, head: bool = False) -> str:
    branches = [_edge(c, child) for c, child in sorted(node.items()) if c]
    if "" in node:
        branches.append(NOT_BEFORE if is_latin(char) else "")
    guard = NOT_AFTER_HEAD if head and is_latin(char) else ""
    return (GAP if char == " " else re.escape(char)) + guard + _alternation(branches)


def _alternation(branches: list[str]) -> str:
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def regex_pattern(bodies: Sequence[str], *, named: bool) -> str:
    """Regular-expression terms as one pattern, on word boundaries unless written in Chinese;
    the terms in Latin script share one boundary check."""
    parts = [(f"(?P<t{i}>{b})" if named else f"(?:{b})", bool(HAN.search(b)))
             for i, b in enumerate(body.translate(FOLD) for body in bodies)]
    latin = [p + NOT_BEFORE for p, han in parts if not han]
    han = [p for p, is_han in parts if is_han]
    return "|".join(([NOT_AFTER + _alternation(latin)] if latin else []) + han)


def compile_terms(terms: Sequence[str]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The literal terms' prefix tree and the regular-expression terms' pattern."""
    words = {term_word(t) for t in terms if not t.startswith(REGEX_PREFIX)}
    bodies = [t[len(REGEX_PREFIX):] for t in terms if t.startswith(REGEX_PREFIX)]
    return (re.compile(trie_pattern(words)) if words else None,
            re.compile(regex_pattern(bodies, named=False), re.IGNORECASE) if bodies else None)


def check_terms(terms: object, field: str, *, required: bool = False) -> tuple[str, ...]:
    """``terms`` stripped, or :class:`InvalidInput` naming the bad one (``terms.3``)."""
    if isinstance(terms, str) or not isinstance(terms, Iterable):
        raise InvalidInput(f"{field} must be a list of strings", field=field)
    items = list(terms)
    if required and not items:
        raise InvalidInput("a keyword set needs at least one term", field=field)
    if len(items) > MAX_TERMS:
        raise InvalidInput(f"at most {MAX_TERMS:,} {field}", field=field)
    out = []
    for i, term in enumerate(items):
        if not isinstance(term, str) or not term.strip():
            raise InvalidInput("a term must be non-empty text", field=f"{field}.{i}")
        term = term.strip()
        if len(term) > MAX_TERM_CHARS:
            raise InvalidInput(f"a term has at most {MAX_TERM_CHARS} characters",
                               field=f"{field}.{i}")
        if term.startswith(REGEX_PREFIX):
            check_regex(term[len(REGEX_PREFIX):], f"{field}.{i}")
        out.append(term)
    return tuple(out)


def check_regex(body: str, field: str) -> None:
    # Terms are combined into one pattern, so group names and backreferences would clash.
    if re.search(r"\\[1-9]|\(\?P[<=]", body):
        raise InvalidInput("a regular-expression term cannot name groups or refer back to them",
                           field=field)
    try:
        compiled = re.compile(f"x|(?:{body})", re.IGNORECASE)
    except re.error as exc:
        raise InvalidInput(f"not a valid regular expression: {exc}", field=field) from None
    if compiled.fullmatch(""):
        raise InvalidInput("a regular-expression term must not match the empty text",
                           field=field)
