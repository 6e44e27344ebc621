/*
 * dict — kinds, default options and the lookup set (sorted by kind and
 * code, binary searched; labels are matched by a scan of the kind's range,
 * which holds tens of options).
 */
#include "core/dict.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/utf8.h"

const dict_kind dict_kinds[] = {
        {"customer_kind", N_("Customer kind")},
        {"industry", N_("Industry")},
        {"region", N_("Sales region")},
        {"source", N_("Customer source")},
        {"customer_status", N_("Cooperation status")},
        {"customer_stage", N_("Lifecycle stage")},
        {"tag", N_("Customer tag")},
        {"product", N_("Product or service")},
        {"ticket_type", N_("Ticket type")},
        {"ticket_status", N_("Ticket status")},
        {"opportunity_stage", N_("Sales stage")},
        {"followup_method", N_("Follow-up method")},
        {"lost_reason", N_("Lost reason")},
        {"gender", N_("Gender")},
        {"income_band", N_("Income band")},
        {"need_type", N_("Need type")},
        {"channel", N_("Preferred channel")},
        {"urban_rural", N_("Urban or rural")},
        {"compass", N_("East, west, south or north")},
        {"payment_attitude", N_("Payment attitude")},
        {"funding_status", N_("Funding status")},
        {"business_status", N_("Business status")},
        {"visit_purpose", N_("Visit purpose")},
        {"visit_outcome", N_("Visit outcome")},
        {"expense_item", N_("Expense item")},
};
const int dict_kind_count = (int)(sizeof(dict_kinds) / sizeof(dict_kinds[0]));

const dict_default dict_defaults[] = {
        {"customer_kind", "enterprise", "企业客户", "Enterprise"},
        {"customer_kind", "individual", "个人客户", "Individual"},
        {"customer_kind", "institution", "机构", "Institution"},
        {"industry", "manufacturing", "制造业", "Manufacturing"},
        {"industry", "retail", "零售业", "Retail"},
        {"industry", "it_internet", "IT互联网", "IT & Internet"},
        {"industry", "education", "教育培训", "Education & Training"},
        {"industry", "machinery", "机械制造", "Machinery"},
        {"industry", "it_services", "IT服务", "IT Services"},
        {"industry", "finance", "金融", "Finance"},
        {"industry", "healthcare", "医疗健康", "Healthcare"},
        {"industry", "construction", "建筑工程", "Construction"},
        {"industry", "logistics", "物流运输", "Logistics"},
        {"industry", "food", "食品饮料", "Food & Beverage"},
        {"industry", "chemicals", "能源化工", "Energy & Chemicals"},
        {"industry", "real_estate", "房地产", "Real Estate"},
        {"industry", "other", "其他", "Other"},
        {"region", "east", "华东", "East China"},
        {"region", "south", "华南", "South China"},
        {"region", "north", "华北", "North China"},
        {"region", "central", "华中", "Central China"},
        {"region", "southwest", "西南", "Southwest China"},
        {"region", "northwest", "西北", "Northwest China"},
        {"region", "northeast", "东北", "Northeast China"},
        {"source", "online", "线上推广", "Online promotion"},
        {"source", "exhibition", "行业展会", "Trade show"},
        {"source", "referral", "客户转介绍", "Referral"},
        {"source", "visit", "主动拜访", "Cold visit"},
        {"customer_status", "potential", "潜在客户", "Prospect"},
        {"customer_status", "intent", "意向客户", "Interested"},
        {"customer_status", "active", "合作中", "Active"},
        {"customer_status", "paused", "暂停合作", "Paused"},
        {"customer_status", "lost", "流失客户", "Lost"},
        {"customer_stage", "potential", "潜力客户", "Potential"},
        {"customer_stage", "new", "新客户", "New"},
        {"customer_stage", "loyal", "老客户", "Loyal"},
        {"customer_stage", "lost", "流失客户", "Lost"},
        {"tag", "key_account", "重点合作", "Key account"},
        {"tag", "potential", "潜力开发", "To develop"},
        {"tag", "strategic", "战略合作伙伴", "Strategic partner"},
        {"tag", "regional_key", "区域重点客户", "Regional key account"},
        {"product", "office_equipment", "办公设备", "Office equipment"},
        {"product", "software_license", "软件授权", "Software licence"},
        {"product", "tech_service", "技术服务", "Technical service"},
        {"product", "consulting", "咨询服务", "Consulting"},
        {"product", "spare_parts", "零配件", "Spare parts"},
        {"product", "training", "培训课程", "Training course"},
        {"product", "maintenance", "维保服务", "Maintenance"},
        {"ticket_type", "quality", "产品质量", "Product quality"},
        {"ticket_type", "logistics", "物流时效", "Delivery time"},
        {"ticket_type", "after_sales", "售后响应", "After-sales response"},
        {"ticket_type", "inquiry", "咨询", "Inquiry"},
        {"ticket_type", "suggestion", "建议", "Suggestion"},
        {"ticket_status", "open", "待处理", "Open"},
        {"ticket_status", "in_progress", "处理中", "In progress"},
        {"ticket_status", "resolved", "已解决", "Resolved"},
        {"opportunity_stage", "lead", "潜在", "Lead"},
        {"opportunity_stage", "analysis", "需求分析", "Needs analysis"},
        {"opportunity_stage", "proposal", "方案/报价", "Proposal / quote"},
        {"opportunity_stage", "negotiation", "谈判", "Negotiation"},
        {"opportunity_stage", "won", "赢单", "Won"},
        {"opportunity_stage", "lost", "输单", "Lost"},
        {"followup_method", "phone", "电话", "Phone"},
        {"followup_method", "email", "邮件", "Email"},
        {"followup_method", "wechat", "微信", "WeChat"},
        {"followup_method", "meeting", "会议", "Meeting"},
        {"followup_method", "visit", "拜访", "Visit"},
        {"expense_item", "meeting", "会议", "Meeting"},
        {"expense_item", "meal", "用餐", "Meals"},
        {"expense_item", "lodging", "住宿", "Lodging"},
        {"expense_item", "transport", "交通", "Transport"},
        {"expense_item", "gift", "礼品", "Gifts"},
        {"expense_item", "other", "其他", "Other"},
        {"lost_reason", "price", "价格因素", "Price"},
        {"lost_reason", "competitor", "选择竞品", "Chose a competitor"},
        {"lost_reason", "no_budget", "预算不足", "No budget"},
        {"lost_reason", "no_need", "需求取消", "Need cancelled"},
        {"lost_reason", "service", "服务不满意", "Unhappy with service"},
        {"gender", "male", "男", "Male"},
        {"gender", "female", "女", "Female"},
        {"income_band", "lt1000", "1000元以下", "Under 1,000 yuan"},
        {"income_band", "1000_3000", "1000~3000元", "1,000-3,000 yuan"},
        {"income_band", "gt3000", "3000元以上", "Over 3,000 yuan"},
        {"need_type", "production", "生产资料", "Means of production"},
        {"need_type", "consumer", "生活资料", "Consumer goods"},
        {"channel", "stall", "摊点零售", "Stall retail"},
        {"channel", "market", "市场批发", "Market wholesale"},
        {"channel", "factory", "厂家批发", "Factory wholesale"},
        {"urban_rural", "urban", "城市", "Urban"},
        {"urban_rural", "rural", "乡村", "Rural"},
        {"compass", "east", "东部", "East"},
        {"compass", "west", "西部", "West"},
        {"compass", "south", "南部", "South"},
        {"compass", "north", "北部", "North"},
        {"payment_attitude", "prompt", "爽快", "Prompt"},
        {"payment_attitude", "normal", "普通", "Normal"},
        {"payment_attitude", "fair", "尚可", "Fair"},
        {"payment_attitude", "late", "延迟", "Late"},
        {"payment_attitude", "reluctant", "为难", "Reluctant"},
        {"payment_attitude", "in_arrears", "欠款", "In arrears"},
        {"funding_status", "abundant", "丰裕", "Abundant"},
        {"funding_status", "sufficient", "充足", "Sufficient"},
        {"funding_status", "tight", "紧张", "Tight"},
        {"funding_status", "short", "短缺", "Short"},
        {"funding_status", "critical", "危险", "Critical"},
        {"business_status", "booming", "兴隆", "Booming"},
        {"business_status", "growing", "渐盛", "Growing"},
        {"business_status", "steady", "常态", "Steady"},
        {"business_status", "declining", "衰退", "Declining"},
        {"business_status", "critical", "危险", "Critical"},
        /* seed 002's 客户拜访日报表: purposes a-c, outcomes A-E (codes are lower case) */
        {"visit_purpose", "a", "初次拜访", "First visit"},
        {"visit_purpose", "b", "处理问题", "Solve a problem"},
        {"visit_purpose", "c", "建立关系", "Build the relationship"},
        {"visit_outcome", "a", "商谈成功", "Deal agreed"},
        {"visit_outcome", "b", "有希望", "Promising"},
        {"visit_outcome", "c", "再度访问", "Visit again"},
        {"visit_outcome", "d", "无希望", "No prospect"},
        {"visit_outcome", "e", "继续观察", "Keep watching"},
};
const int dict_default_count = (int)(sizeof(dict_defaults) / sizeof(dict_defaults[0]));

const dict_kind *dict_kind_find(const char *code)
{
	for (int i = 0; i < dict_kind_count; i++)
		if (code && strcmp(dict_kinds[i].code, code) == 0)
			return &dict_kinds[i];
	return NULL;
}

bool dict_code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n == 0 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			return false;
	}
	return true;
}

bool dict_kind_valid(const char *code)
{
	if (dict_kind_find(code))
		return true;
	return code && strncmp(code, "cf.", 3) == 0 && dict_code_valid(code + 3);
}

struct dict_set {
	dict_option *opts;
	int n;
};

static int opt_cmp(const void *a, const void *b)
{
	const dict_option *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);
	if (c)
		return c;
	return strcmp(x->code, y->code);
}

dict_set *dict_set_build(arena *a, const dict_option *opts, int n)
{
	dict_set *d = arena_alloc(a, sizeof(*d));
	d->opts = arena_calloc(a, (size_t)(n > 0 ? n : 1), sizeof(dict_option));
	d->n = n;
	for (int i = 0; i < n; i++) {
		d->opts[i] = opts[i];
		d->opts[i].kind = arena_strdup(a, opts[i].kind);
		d->opts[i].code = arena_strdup(a, opts[i].code);
		d->opts[i].label_zh = arena_strdup(a, opts[i].label_zh);
		d->opts[i].label_en = arena_strdup(a, opts[i].label_en);
	}
	qsort(d->opts, (size_t)n, sizeof(dict_option), opt_cmp);
	return d;
}

const dict_option *dict_find(const dict_set *d, const char *kind, const char *code)
{
	if (!d || !kind || !code)
		return NULL;
	dict_option key = {.kind = kind, .code = code};
	return bsearch(&key, d->opts, (size_t)d->n, sizeof(dict_option), opt_cmp);
}

/* [lo, hi) range of kind */
static void kind_range(const dict_set *d, const char *kind, int *lo, int *hi)
{
	int l = 0, h = d->n;
	while (l < h) {
		int m = l + (h - l) / 2;
		if (strcmp(d->opts[m].kind, kind) < 0)
			l = m + 1;
		else
			h = m;
	}
	*lo = l;
	int e = l;
	while (e < d->n && strcmp(d->opts[e].kind, kind) == 0)
		e++;
	*hi = e;
}

const dict_option *dict_match(const dict_set *d, arena *a, const char *kind, const char *text)
{
	if (!d || !kind || !text)
		return NULL;
	const dict_option *o = dict_find(d, kind, text);
	if (o)
		return o;
	int lo, hi;
	kind_range(d, kind, &lo, &hi);
	const char *want = utf8_fold(a, text, true);
	for (int i = lo; i < hi; i++) {
		const dict_option *x = &d->opts[i];
		if ((x->label_zh && strcmp(utf8_fold(a, x->label_zh, true), want) == 0) ||
		    (x->label_en && strcmp(utf8_fold(a, x->label_en, true), want) == 0) ||
		    strcmp(x->code, want) == 0)
			return x;
	}
	return NULL;
}

static int opt_order_cmp(const void *a, const void *b)
{
	const dict_option *x = *(const dict_option *const *)a, *y = *(const dict_option *const *)b;
	if (x->sort_order != y->sort_order)
		return x->sort_order < y->sort_order ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int dict_list(const dict_set *d, const char *kind, const dict_option **out, int max)
{
	if (!d)
		return 0;
	int lo, hi, n = 0;
	kind_range(d, kind, &lo, &hi);
	for (int i = lo; i < hi && n < max; i++)
		out[n++] = &d->opts[i];
	qsort(out, (size_t)n, sizeof(*out), opt_order_cmp);
	return n;
}
