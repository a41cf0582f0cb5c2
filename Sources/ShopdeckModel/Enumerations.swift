/// The values data-formats.md lists for the columns that list them. A value outside its list
/// is unreadable (a bad row where the column is required, else absent with a warning), never
/// loaded as if valid.
public enum Enumerations {
    /// violations.status (required).
    public static let violationStatus = ["待处理", "申诉中", "申诉成功", "申诉驳回", "已生效", "已处罚"]
    /// violations.subject (optional, default 商家).
    public static let violationSubject = ["商家", "带货达人"]
    /// coupons.coupon_type (required).
    public static let couponType = ["店铺满减券", "主播满减券"]
    /// coupons.status (optional).
    public static let couponStatus = ["未开始", "进行中", "已结束"]
    /// products.source (optional, default 自建).
    public static let productSource = ["自建", "好物联盟"]
    /// reports.result (required).
    public static let reportResult = ["成功", "失败", "处理中"]
    /// aftersales.decision (optional).
    public static let refundDecision = ["同意", "拒绝"]
}
