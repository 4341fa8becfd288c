"""The built-in niche lexicon: English and Chinese terms that point to each niche of the taxonomy.

Data only, used by :mod:`kolscope.core.discovery.niche_classifier`: the lexicon is the prior
evidence of its naive Bayes model, the stop words are dropped by its tokenizer. Latin terms are
single lower-case words (hashtag spellings such as ``ootd`` or ``travelgram`` included); Chinese
terms are matched as substrings. Every key of :data:`kolscope.core.discovery.niches.TAXONOMY`
has an entry.
"""

from __future__ import annotations

LEXICON: dict[str, tuple[str, ...]] = {
    "fashion": tuple(
        "fashion ootd outfit outfits style styling stylist streetstyle fashionista dress denim"
        " jeans sneakers shoes heels handbag wardrobe lookbook fashionblogger menswear"
        " womenswear vintage jacket outfitoftheday whatiwore instafashion"
        " 时尚 穿搭 服装 搭配 衣服 连衣裙 外套 鞋子 包包 街拍 潮牌 裙子".split()),
    "beauty": tuple(
        "beauty skincare makeup cosmetics serum lipstick foundation mascara eyeliner eyeshadow"
        " concealer moisturizer cleanser sunscreen blush highlighter contour lashes brows"
        " nails manicure makeupartist mua skin glow haircare hairstyle"
        " 美妆 护肤 彩妆 口红 面霜 精华 粉底 眼影 面膜 防晒 化妆"
        " 睫毛 美甲 唇膏 护肤品 卸妆".split()),
    "technology": tuple(
        "tech technology gadget gadgets smartphone iphone android laptop computer software"
        " coding programming developer app apps ai robot robotics unboxing camera headphones"
        " electronics startup innovation"
        " 科技 数码 手机 电脑 笔记本 测评 开箱 耳机 编程 人工智能 软件 芯片".split()),
    "travel": tuple(
        "travel traveling travelling travelgram wanderlust trip vacation holiday holidays"
        " hotel resort beach island adventure explore passport flight backpacking tourist"
        " sightseeing destination travelblogger roadtrip instatravel"
        " 旅行 旅游 酒店 度假 景点 攻略 自由行 海岛 民宿 机票 出游 打卡".split()),
    "food": tuple(
        "food foodie foodporn recipe recipes cooking baking chef delicious yummy restaurant"
        " dinner lunch breakfast brunch dessert cake pizza pasta ramen sushi burger coffee"
        " vegan homemade tasty instafood foodstagram eats"
        " 美食 好吃 餐厅 食谱 烘焙 甜品 蛋糕 火锅 早餐 晚餐 做饭 料理 探店 咖啡 小吃".split()),
    "fitness": tuple(
        "fitness workout gym training fit fitfam bodybuilding crossfit yoga pilates cardio"
        " strength squat deadlift muscle gains abs hiit personaltrainer fitspo"
        " fitnessmotivation exercise weightloss"
        " 健身 锻炼 减脂 增肌 瑜伽 普拉提 跑步 训练 马甲线 腹肌 减肥 撸铁".split()),
    "health": tuple(
        "health healthy wellness medical medicine doctor nurse nutrition nutritionist"
        " supplements vitamins mentalhealth therapy pharmacy hospital diet wellbeing"
        " selfcare sleep physiotherapy"
        " 健康 医疗 医生 养生 营养 保健 药 医院 心理健康 睡眠 中医".split()),
    "finance": tuple(
        "finance money investing investment invest stocks stock crypto bitcoin trading"
        " trader wealth budget budgeting savings personalfinance financialfreedom forex"
        " dividends realestate economy"
        " 财经 理财 投资 股票 基金 炒股 财富 存钱 经济 比特币 保险".split()),
    "gaming": tuple(
        "gaming gamer games game esports playstation xbox nintendo twitch streamer fortnite"
        " minecraft pubg videogames pcgaming console cosplay"
        " 游戏 电竞 王者荣耀 原神 手游 主机 玩家 直播 吃鸡 steam".split()),
    "parenting": tuple(
        "parenting mom mum mommy mama dad daddy baby babies kids kid toddler newborn"
        " pregnancy pregnant motherhood fatherhood family momlife children child son"
        " daughter breastfeeding familytime"
        " 母婴 亲子 育儿 宝宝 宝妈 孕期 怀孕 奶粉 早教 儿童 孩子 带娃 辅食 萌娃".split()),
    "pets": tuple(
        "pet pets dog dogs puppy puppies cat cats kitten kitty doggo dogsofinstagram"
        " catsofinstagram petsofinstagram pup paws bulldog labrador retriever poodle"
        " corgi hamster rabbit"
        " 萌宠 宠物 猫 狗 猫咪 狗狗 喵 铲屎官 柯基 布偶 金毛".split()),
    "home": tuple(
        "home interior interiors decor homedecor interiordesign design furniture livingroom"
        " bedroom kitchen renovation diy plants house apartment cozy scandinavian"
        " homestyling architecture garden minimalism"
        " 家居 家装 装修 软装 客厅 卧室 收纳 家具 装饰 改造 好物 厨房".split()),
    "education": tuple(
        "education learning study studying student students teacher school university"
        " college exam exams language tutorial course courses books reading knowledge"
        " science studygram"
        " 教育 学习 知识 考研 留学 托福 雅思 备考 课程 老师 学生 大学 考试 英语 读书".split()),
    "luxury": tuple(
        "luxury luxe luxurylifestyle chanel gucci dior louisvuitton hermes prada rolex"
        " cartier yacht supercar designer jewelry jewellery diamonds watches"
        " 奢侈品 奢品 名牌 珠宝 腕表 名表 钻石 高定".split()),
    "automotive": tuple(
        "car cars auto automotive carsofinstagram supercars porsche ferrari lamborghini bmw"
        " mercedes audi tesla motorcycle motorbike racing drift engine carporn"
        " 汽车 试驾 新能源 跑车 豪车 摩托 驾驶 车评 改装".split()),
    "entertainment": tuple(
        "music musician singer song songs concert band dj rapper hiphop film movie movies"
        " cinema actor actress comedy comedian tv show dance dancer"
        " 娱乐 音乐 明星 电影 综艺 歌手 演唱会 舞蹈 追星 搞笑 演员 唱歌".split()),
    "sports": tuple(
        "sports sport football soccer basketball tennis golf baseball nba nfl athlete"
        " running marathon cycling surfing skiing swimming boxing mma match"
        " 体育 足球 篮球 网球 比赛 运动员 马拉松 骑行 滑雪 游泳 羽毛球".split()),
    "lifestyle": tuple(
        "lifestyle life daily vlog blogger lifestyleblogger everyday weekend mood happy"
        " love goodvibes inspiration motivation dailylife"
        " 生活 日常 生活方式 记录 分享 周末 治愈".split()),
    "photography": tuple(
        "photography photographer photo photos photooftheday art artist artwork painting"
        " drawing illustration sketch canon nikon sony portrait landscape gallery"
        " 摄影 艺术 拍照 插画 绘画 画画 写真 胶片 摄影师".split()),
    "business": tuple(
        "business entrepreneur entrepreneurship marketing startup ceo founder brand"
        " branding sales success hustle leadership socialmedia digitalmarketing ecommerce"
        " 商业 创业 营销 品牌 电商 老板 管理 职场 副业".split()),
    "outdoors": tuple(
        "outdoors outdoor nature hiking hike camping camp mountains mountain forest trail"
        " climbing wildlife sunset lake river naturelovers"
        " 户外 徒步 露营 爬山 登山 自然 森林 野营 风景".split()),
    "other": tuple(
        "quotes quote meme memes funny news politics religion faith god giveaway random"
        " 其他 语录 新闻 段子".split()),
}

# Words too common to say anything about a niche (English and a few other Latin-script languages).
STOP_WORDS: frozenset[str] = frozenset(
    "the and is are was were be been you your yours for with this that these those to of in on at"
    " my me it its we our us so but or if as by from an not no do does did have has had will can"
    " just all about out up more what when who how get got one there here they them their he she"
    " his her him i'm im am too very also really than then now new via like love"
    " el la los las que de y en es por para con una un mi su del muy o a os as em um uma da do"
    " le les et est une des du pour avec je dans pas sur der die das und ist ein eine ich mit"
    " il che di non per sono".split())
