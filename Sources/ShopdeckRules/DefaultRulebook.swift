/// The default rulebook, embedded so the binary needs no files. A `--rules FILE` (TOML of the
/// same shape) or `shopdeck.toml`'s `[rules]` table overrides any key. Times are CST
/// `YYYY-MM-DD HH:MM:SS` strings; hours are numbers.
public let defaultRulebookTOML = #"""
version = "kuaishou-2023.02"

# rules.md §1 — shipping
[shipping]
effective_from = "2022-01-01 00:00:00"
risk_horizon_hours = 12          # at-risk: T < deadline <= T + horizon
pickup_hours = 24                # (interpretation) a parcel must be picked up within this after shipping
spot_promise_hours = [24, 48]    # 承诺现货: promise of 24 h or 48 h, flash sales excluded

# rules.md §2 — high spot-goods exemption (seed 000, announced 2023-02-15)
[exemption]
announced = "2023-02-15 14:04:00"
effective_from = "2023-02-20 00:00:00"   # (interpretation) first full week after the notice
min_paid_orders = 3000                   # paid orders must be strictly more
min_spot_share = 0.70                    # spot-goods share strictly more
min_on_time_rate = 0.97                  # on-time rate at least
penalty_rule = "超时未发货"

# rules.md §4 — epidemic adjustments (seeds 001, 004)
[adjustments]
platform_refresh_working_days = 3

# rules.md §3 — after-sales service times (seed 002, in force 2022-01-17). Hours.
[aftersales]
effective_from = "2022-01-17 00:00:00"
handling_pre_shipment = 24
handling_pre_shipment_holiday = 48
handling_post_shipment = 48
handling_post_shipment_holiday = 120
buyer_return = 240
buyer_return_holiday = 360
auto_receipt = 168
auto_receipt_holiday = 360

[[holidays]]
name = "春节 2022"
start = "2022-01-25 00:00:00"
end = "2022-02-08 23:59:59"
published = "2022-01-17 00:00:00"

# rules.md §5 — violations and appeals (seeds 000, 001, 003)
[appeals]
effective_from = "2022-11-19 00:00:00"   # 带货达人 may appeal from this day
max_appeals = 2
subjects = ["商家", "带货达人"]
subjects_before = ["商家"]
reasons = ["已按时发货", "不可抗力（疫情等）", "物流原因", "平台误判", "高现货豁免", "其他"]

[[measures]]
effective_from = "2022-07-23 00:00:00"
names = ["警告", "学习", "强制学习", "强制考试", "下架商品", "限制参与营销活动", "暂停使用购物车功能",
         "封禁快手账号", "违约金", "限制发布特定类目商品", "禁止直播", "禁止发短视频", "限制流量", "禁止商业化投放",
         "下架违规商品", "扣分"]
corrective = ["暂停使用购物车功能", "下架违规商品"]

[[measures]]
effective_from = "2023-02-16 00:00:00"
names = ["下架全部商品", "禁止上架新商品", "禁言", "违规短视频减少推荐"]

[measure_meanings]
"警告" = "a warning, no other effect"
"学习" = "study the rule in the merchant academy"
"强制学习" = "mandatory study before selling functions return"
"强制考试" = "mandatory exam before selling functions return"
"下架商品" = "the goods are delisted"
"下架违规商品" = "corrective: the violating goods are delisted; relist once fixed"
"限制参与营销活动" = "barred from marketing campaigns"
"暂停使用购物车功能" = "corrective: no shopping cart in live streams and short videos for a period; shop entry closed on the profile"
"封禁快手账号" = "the Kuaishou account is banned"
"违约金" = "a contractual penalty is charged"
"限制发布特定类目商品" = "may not list goods of certain categories"
"禁止直播" = "no live streaming"
"禁止发短视频" = "no short videos"
"限制流量" = "traffic is limited"
"禁止商业化投放" = "no paid promotion"
"扣分" = "violation points deducted (merchant's violation points only)"
"下架全部商品" = "all goods delisted and may not be relisted"
"禁止上架新商品" = "no new goods may be listed"
"禁言" = "private messages from the profile are suspended"
"违规短视频减少推荐" = "the violating short videos get less exposure"

# rules.md §6 — customer-service reports (seed 003). (interpretation) the ladder; -1 = permanent.
[reports]
ladder_hours = [72, 168, 720, -1]
ladder_labels = ["72h", "7d", "30d", "permanent_shop"]
platform_ban_shops = 5
platform_ban_label = "permanent_platform"

# rules.md §7 — timed coupons (seed 002)
[coupons]
shop_coupon = "店铺满减券"
anchor_coupon = "主播满减券"
alliance_source = "好物联盟"
min_ios = "9.7.10"
min_android = "9.6.50"

# rules.md §8 — promotion copy (seed 004, personal care and cleaning norms, in force 2022-04-06)
[copy]
effective_from = "2022-04-06 00:00:00"
source_markers = ["专利号", "数据来源", "来源：", "来源:", "检测报告", "检验报告", "证书编号"]

[[copy.norms]]
number = 1
title = "绝对化用语"
terms = ["第一", "国家级", "最佳", "顶级", "最高级", "最好", "最低价", "全网最低", "唯一", "首个", "极致", "独一无二", "史无前例", "万能", "100%有效"]

[[copy.norms]]
number = 2
title = "医疗术语、医疗作用"
terms = ["治疗", "治愈", "根治", "疗效", "药用", "医用级", "处方", "消炎", "杀菌", "抗菌", "抑菌", "止痒", "防癌", "抗过敏", "特效", "药妆"]

[[copy.norms]]
number = 3
title = "过度宣传大牌平替"
terms = ["大牌平替", "平替"]

[[copy.norms]]
number = 6
title = "实验和统计数据须说明出处"
terms = ["临床验证", "实验证明", "临床证明", "有效率", "数据显示", "检测证明"]
needs_source = true

[[copy.norms]]
number = 7
title = "专利、荣誉、销量、效果指数须有证明"
terms = ["专利", "销量第一", "销量冠军", "热销百万", "万人好评", "荣获", "获奖", "效果指数"]
needs_source = true

[[copy.norms]]
number = 10
title = "非特殊用途化妝品不得宣传特殊功效"
terms = ["美白", "祛斑", "淡斑", "防晒", "祛痘", "生发", "防脱", "育发", "染发", "烫发", "脱毛", "丰胸", "健美", "除臭"]

[[copy.norms]]
number = 13
title = "洗眼液宣传"
terms = ["日常使用", "长期使用", "每天使用", "天天用", "适用所有人", "孕妇", "儿童可用"]
requires = ["洗眼液"]

[[copy.norms]]
number = 14
title = "未经授权不得使用品牌授权、官方、旗舰店"
terms = ["品牌授权", "官方", "旗舰店"]
unless_authorised_brand = true

# rules.md §9 — trust purchase (seed 000)
[trust_purchase]
benefits = ["信任购 label along the whole order path", "live and shelf traffic", "campaign resources", "better after-sales service score"]
"""#
