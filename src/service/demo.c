/*
 * demo — realistic generated data: an organisation of departments and
 * people in every role, and customers that look like a Chinese SME's
 * (company names, contacts with mobile numbers, industries, regions,
 * deal histories, tags, next steps). Everything goes through the same use
 * cases as user input, so the demo data obeys every rule.
 */
#include <stdio.h>
#include <string.h>

#include "core/activity.h"
#include "core/credit_code.h"
#include "core/evaluation.h"
#include "core/request.h"
#include "core/visit.h"
#include "service/internal.h"
#include "util/crypto.h"
#include "util/date.h"

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next(rng *r)
{
	/* xorshift64*: deterministic for a seed, good enough for fake data */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ull;
}

static int pick(rng *r, int n)
{
	return (int)(next(r) % (uint64_t)n);
}

#define PICK(r, arr) (arr[pick(r, (int)(sizeof(arr) / sizeof(arr[0])))])

static const struct city {
	const char *city, *province, *region;
} cities[] = {
        {"北京", "北京", "north"},         {"上海", "上海", "east"},
        {"广州", "广东", "south"},         {"深圳", "广东", "south"},
        {"杭州", "浙江", "east"},          {"南京", "江苏", "east"},
        {"苏州", "江苏", "east"},          {"成都", "四川", "southwest"},
        {"重庆", "重庆", "southwest"},     {"武汉", "湖北", "central"},
        {"长沙", "湖南", "central"},       {"西安", "陕西", "northwest"},
        {"郑州", "河南", "central"},       {"天津", "天津", "north"},
        {"青岛", "山东", "east"},          {"济南", "山东", "east"},
        {"沈阳", "辽宁", "northeast"},     {"大连", "辽宁", "northeast"},
        {"哈尔滨", "黑龙江", "northeast"}, {"厦门", "福建", "south"},
        {"福州", "福建", "south"},         {"合肥", "安徽", "east"},
        {"昆明", "云南", "southwest"},     {"兰州", "甘肃", "northwest"},
        {"东莞", "广东", "south"},         {"宁波", "浙江", "east"},
        {"无锡", "江苏", "east"},          {"佛山", "广东", "south"},
        {"石家庄", "河北", "north"},       {"太原", "山西", "north"},
};

static const char *const brands[] = {
        "腾云", "华信", "锦程", "恒通", "瑞丰", "鼎盛", "宏达", "博远", "天成", "金桥",
        "新航", "众合", "嘉禾", "远景", "盛世", "长青", "海纳", "卓越", "智联", "启明",
        "星河", "正邦", "永安", "润泽", "顺达", "康宁", "万象", "联创", "鸿运", "安泰",
        "凯旋", "明德", "睿思", "同舟", "汇通", "东方", "南华", "北辰", "西岭", "九州",
        "四海", "百川", "千里", "华夏", "宏图", "中科", "银河", "青松", "蓝海", "红星",
};

static const struct trade {
	const char *industry;
	const char *words[4];
} trades[] = {
        {"manufacturing", {"精密制造", "电子", "五金制品", "塑胶"}},
        {"retail", {"商贸", "百货", "连锁零售", "超市"}},
        {"it_internet", {"科技", "网络科技", "信息技术", "软件"}},
        {"education", {"教育科技", "培训", "文化传播", "职业培训"}},
        {"machinery", {"机械设备", "重工", "机电", "自动化设备"}},
        {"it_services", {"信息服务", "数据科技", "系统集成", "云计算"}},
        {"finance", {"投资管理", "融资租赁", "资产管理", "金融服务"}},
        {"healthcare", {"医疗器械", "医药", "健康科技", "生物科技"}},
        {"construction", {"建设工程", "建筑装饰", "市政工程", "建材"}},
        {"logistics", {"物流", "供应链管理", "运输", "仓储服务"}},
        {"food", {"食品", "饮料", "农产品", "餐饮管理"}},
        {"chemicals", {"化工", "新能源", "环保科技", "材料科技"}},
        {"real_estate", {"置业", "房地产开发", "物业管理", "地产"}},
};

static const char *const suffixes[] = {"有限公司", "有限公司", "有限公司", "股份有限公司",
                                       "有限责任公司"};
static const char *const institutions[] = {"职业技术学院", "人民医院", "研究院",
                                           "中学",         "图书馆",   "疾控中心"};
static const char *const surnames[] = {
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
        "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
        "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
        "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "欧阳",
};
static const char *const given[] = {
        "伟", "芳", "娜",   "秀英", "敏",   "静",   "丽",   "强",   "磊",   "军",
        "洋", "勇", "艳",   "杰",   "娟",   "涛",   "明",   "超",   "秀兰", "霞",
        "平", "刚", "桂英", "建华", "文",   "华",   "红",   "建国", "志强", "晓东",
        "丹", "萍", "鹏",   "辉",   "玲",   "斌",   "宇",   "浩",   "凯",   "婷",
        "雪", "琳", "晨",   "欣怡", "子轩", "梓涵", "思远", "雨桐", "嘉怡", "一鸣",
};
static const char *const positions[] = {"采购经理", "总经理",   "技术总监", "财务主管", "行政主管",
                                        "运营经理", "采购专员", "董事长",   "项目经理", "IT经理"};
static const char *const needs[] = {
        "采购办公设备，预算约%d万元",   "寻求技术合作，希望本季度内完成方案",
        "需要维保服务，覆盖%d个门店",   "计划升级信息系统，关注数据安全",
        "年度培训采购，约%d人参加",     "更换现有供应商，看重售后响应速度",
        "采购零配件，要求%d天内到货",   "咨询软件授权方案，预计%d个账号",
        "扩建生产线，需要整体解决方案", "关注价格，希望提供阶梯报价",
};
static const char *const next_steps[] = {
        "3天内电话确认反馈意见",
        "发送报价单并跟进",
        "安排技术人员上门演示",
        "约见采购负责人",
        "准备合同初稿",
        "邀请参加产品发布会",
        "寄送样品",
        "回访满意度",
};
static const char *const sources[] = {"online", "exhibition", "referral", "visit"};
static const char *const tags[] = {"重点合作", "潜力开发", "战略合作伙伴", "区域重点客户"};

static const char *person_name(rng *r, arena *a)
{
	return arena_printf(a, "%s%s", PICK(r, surnames), PICK(r, given));
}

static const char *mobile(rng *r, arena *a)
{
	static const char *const heads[] = {"130", "131", "132", "135", "136", "137", "138", "139",
	                                    "150", "151", "152", "158", "159", "166", "177", "180",
	                                    "181", "186", "187", "188", "189", "199"};
	return arena_printf(a, "%s%08u", PICK(r, heads), (unsigned)(next(r) % 100000000u));
}

static const char *credit_code(rng *r, arena *a)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char c[19];
	c[0] = '9';
	c[1] = '1';
	/* administrative division code: six digits */
	for (int i = 2; i < 8; i++)
		c[i] = (char)('0' + pick(r, 10));
	for (int i = 8; i < 17; i++)
		c[i] = alphabet[pick(r, 31)];
	c[17] = credit_code_check_char(c);
	c[18] = '\0';
	return arena_strdup(a, c);
}

static const char *day_text(arena *a, int64_t days)
{
	int y, m, d;
	date_from_days(days, &y, &m, &d);
	char tbuf[DATE_LEN];
	date_format(tbuf, y, m, d);
	return arena_strdup(a, tbuf);
}

static int64_t day_between(rng *r, int64_t from, int64_t to)
{
	if (to < from)
		to = from;
	return from + (int64_t)(next(r) % (uint64_t)(to - from + 1));
}

static const char *date_between(rng *r, arena *a, int64_t from, int64_t to)
{
	return day_text(a, day_between(r, from, to));
}

static int64_t days_of(const char *date)
{
	int y, m, d;
	date_parse(date, &y, &m, &d);
	return date_to_days(y, m, d);
}

typedef struct demo_org {
	int64_t *sales; /* users who own customers */
	int nsales;
	int created;     /* users created now (an earlier demo may have made them) */
	int64_t service; /* who handles service tickets */
} demo_org;

static int64_t add_dept(svc *s, const char *name, int64_t parent, const char *prefix, int order)
{
	kh_record d;
	record_init(&d, &department_entity, s->a);
	record_set_text(&d, DF_NAME, name);
	if (parent)
		record_set_int(&d, DF_PARENT, parent);
	if (prefix)
		record_set_text(&d, DF_CODE_PREFIX, prefix);
	record_set_int(&d, DF_SORT_ORDER, order);
	int64_t id = 0;
	return svc_dept_create(s, &d, &id) < 0 ? -1 : id;
}

static int64_t add_user(svc *s, demo_org *org, const char *username, const char *name,
                        const char *role, int64_t dept, int64_t supervisor, const char *scope,
                        const char *password)
{
	const kh_record *existing = snap_user_by_name(s->snap, username);
	if (existing)
		return existing->v[F_ID].i;
	org->created++;
	kh_record u;
	record_init(&u, &user_entity, s->a);
	record_set_text(&u, UF_USERNAME, username);
	record_set_text(&u, UF_DISPLAY_NAME, name);
	record_set_text(&u, UF_ROLE, role);
	if (dept)
		record_set_int(&u, UF_DEPARTMENT, dept);
	if (supervisor)
		record_set_int(&u, UF_SUPERVISOR, supervisor);
	if (scope)
		record_set_text(&u, UF_SCOPE, scope);
	record_set_text(&u, UF_LOCALE, "zh-CN");
	int64_t id = 0;
	const char *gen;
	return svc_user_create(s, &u, password, &gen, &id) < 0 ? -1 : id;
}

static const kh_record *dept_named(svc *s, const char *name)
{
	for (int i = 0; i < s->snap->ndepts; i++)
		if (strcmp(s->snap->depts[i].v[DF_NAME].s, name) == 0)
			return &s->snap->depts[i];
	return NULL;
}

static int build_org(svc *s, long n, const char *pw, demo_org *org)
{
	if (svc_snapshot(s, -1) < 0)
		return -1;
	const kh_record *head = dept_named(s, "总公司");
	int64_t head_id = head ? head->v[F_ID].i : 0;
	/* the departments a demo needs, made when missing (an organisation built by
	 * hand, or by an earlier demo, may have some of them) */
	static const struct {
		const char *name, *parent, *prefix;
		int order;
	} want[] = {
	        {"销售部", NULL, "XS", 10},       {"销售一部", "销售部", NULL, 11},
	        {"销售二部", "销售部", NULL, 12}, {"市场部", NULL, "SC", 20},
	        {"客服部", NULL, "KF", 30},       {"财务部", NULL, "CW", 40},
	};
	int64_t dept[sizeof(want) / sizeof(want[0])];
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const kh_record *have = dept_named(s, want[i].name);
		if (have) {
			dept[i] = have->v[F_ID].i;
			continue;
		}
		int64_t parent = head_id;
		for (size_t j = 0; j < i && want[i].parent; j++)
			if (!strcmp(want[j].name, want[i].parent))
				parent = dept[j];
		if ((dept[i] = add_dept(s, want[i].name, parent, want[i].prefix, want[i].order)) <
		    0)
			return -1;
	}
	int64_t sales_dept = dept[0], s1 = dept[1], s2 = dept[2], market = dept[3],
	        service = dept[4], finance = dept[5];
	int64_t boss = add_user(s, org, "zhangwei", "张伟", "manager", sales_dept, 0, NULL, pw);
	int64_t lead = add_user(s, org, "liuyang", "刘洋", "sales", s2, boss, "own_sub", pw);
	int64_t ids[] = {
	        add_user(s, org, "lina", "李娜", "sales", s1, boss, NULL, pw),
	        add_user(s, org, "wangfang", "王芳", "sales", s1, boss, NULL, pw),
	        lead,
	        add_user(s, org, "chenjing", "陈静", "sales", s2, lead, NULL, pw),
	        add_user(s, org, "yangfan", "杨帆", "sales", s2, lead, NULL, pw),
	};
	org->service = add_user(s, org, "zhaolei", "赵磊", "service", service, 0, NULL, pw);
	if (boss < 0 || lead < 0 || org->service < 0 ||
	    add_user(s, org, "sunli", "孙丽", "finance", finance, 0, NULL, pw) < 0 ||
	    add_user(s, org, "zhoumin", "周敏", "viewer", market, 0, NULL, pw) < 0)
		return -1;
	int extra = n >= 10000 ? 100 : 0; /* a big demo gets a big sales force */
	org->sales = arena_calloc(s->a, (size_t)(5 + extra), sizeof(int64_t));
	for (int i = 0; i < 5; i++) {
		if (ids[i] < 0)
			return -1;
		org->sales[org->nsales++] = ids[i];
	}
	for (int i = 0; i < extra; i++) {
		char uname[32], name[64];
		snprintf(uname, sizeof(uname), "sales%03d", i + 1);
		snprintf(name, sizeof(name), "销售%03d", i + 1);
		int64_t id =
		        add_user(s, org, uname, name, "sales", i % 2 ? s1 : s2, boss, NULL, pw);
		if (id < 0)
			return -1;
		org->sales[org->nsales++] = id;
	}
	return 0;
}

/*
 * What a demo customer did with us: drawn with the customer (so that a seed
 * gives the same customers as before demo data had records) and recorded after
 * it as follow-ups and orders.
 */
typedef struct history {
	int64_t first_contact; /* days */
	int deals;             /* 0: never bought */
	int64_t first_deal;    /* days */
	int64_t last_deal;     /* days */
	int64_t avg;           /* its usual order, fen (whole yuan) */
	int offer;             /* products: 0 equipment and maintenance, 1 software and service */
	int64_t last_followup; /* days */
	const char *next_step; /* of the latest follow-up, or NULL */
	const char *next_due;
	kh_record *orders; /* the orders in kehu (the rest is the opening balance) */
	int norders;
} history;

static const char *const offers[2][2] = {{"office_equipment", "maintenance"},
                                         {"software_license", "tech_service"}};
static const char *const methods[] = {"phone", "email", "wechat", "meeting", "visit"};
static const char *const talks[] = {
        "电话沟通采购需求，对方关注交货周期", "发送产品资料和报价单",
        "微信沟通方案细节，对方提出价格异议", "上门拜访采购负责人，现场演示产品",
        "参加对方内部评审会议，讲解实施方案", "回访使用情况，收集改进意见",
        "沟通续约事宜，对方希望增加培训名额", "确认合同条款和付款方式",
        "了解对方年度预算和采购计划",         "处理对方反馈的售后问题",
};
static const char *const outcomes[] = {
        "对方有明确意向", "需要内部再讨论", "价格待确认",   "已约定下次见面",
        "对方暂无需求",   "同意试用",       "进入合同流程",
};

/* kehu went live a year ago: deals before that are the customer's opening balance
 * when it came over with its history (half of those old enough), orders after. */
#define GO_LIVE_DAYS 365

/*
 * The customer's orders (drawn from r, the history's own stream) from its first
 * deal to its last, adding up to its total: amounts around its usual one, in
 * pairs that add up to twice it. Deals before go-live of a customer that came
 * over with its history become its opening balance (set on c, as an import
 * would) instead of orders.
 */
static void plan_orders(svc *s, rng *r, kh_record *c, history *h, int64_t today)
{
	arena *a = s->a;
	h->orders = h->deals ? arena_calloc(a, (size_t)h->deals, sizeof(kh_record)) : NULL;
	h->norders = 0;
	bool came_over = pick(r, 2) && h->first_deal < today - GO_LIVE_DAYS;
	int64_t open_count = 0, open_amount = 0, open_first = 0, open_last = 0, prev = 0;
	for (int i = 0; i < h->deals; i++) {
		int64_t day = i == 0              ? h->first_deal
		              : i == h->deals - 1 ? h->last_deal
		                                  : day_between(r, h->first_deal, h->last_deal);
		int64_t amount;
		if (i % 2)
			amount = 2 * h->avg - prev;
		else if (i + 1 < h->deals)
			amount = h->avg - h->avg / 100 * pick(r, 41) / 100 * 100;
		else
			amount = h->avg;
		prev = amount;
		if (came_over && day < today - GO_LIVE_DAYS) {
			open_first = open_count && open_first < day ? open_first : day;
			open_last = open_count && open_last > day ? open_last : day;
			open_count++;
			open_amount += amount;
			continue;
		}
		kh_record *o = &h->orders[h->norders++];
		record_init(o, &order_entity, a);
		record_set_text(o, ORF_DATE, day_text(a, day));
		record_set_text(o, ORF_PRODUCT, offers[h->offer][pick(r, 2)]);
		record_set_int(o, ORF_QUANTITY, 1 + pick(r, 20));
		record_set_int(o, ORF_AMOUNT, amount);
		record_set_int(o, ORF_COST, amount / 100 * (45 + pick(r, 36)) / 100 * 100);
		record_set_int(o, ORF_PAID_ON_TIME, pick(r, 100) < 85);
		record_set_int(o, ORF_COMPLETED, today - day > 30 ? pick(r, 100) < 95 : pick(r, 2));
	}
	if (open_count) {
		record_set_int(c, CF_DEAL_COUNT, open_count);
		record_set_int(c, CF_DEAL_AMOUNT, open_amount);
		record_set_text(c, CF_FIRST_DEAL_DATE, day_text(a, open_first));
		record_set_text(c, CF_LAST_DEAL_DATE, day_text(a, open_last));
	}
}

/*
 * The customer's follow-ups, from the first contact to the last one, the latest
 * carrying the next step, and its orders, recorded by the same rules as a
 * user's so that its derived fields and the monthly sums come out as they
 * would. Its owner logged and sold them.
 */
static int add_history(svc *s, rng *r, int64_t id, int64_t owner, const kh_record *k, int nk,
                       history *h, demo_result *out)
{
	arena *a = s->a;
	int nf = 1 + pick(r, 2) + (h->deals > 0) + (h->deals > 3);
	kh_record f[4];
	for (int i = 0; i < nf; i++) {
		int64_t day = i == nf - 1 ? h->last_followup
		              : i == 0    ? h->first_contact
		                          : day_between(r, h->first_contact, h->last_followup);
		record_init(&f[i], &followup_entity, a);
		record_set_int(&f[i], UPF_CONTACT, k[pick(r, nk)].v[F_ID].i);
		record_set_text(&f[i], UPF_DATE, day_text(a, day));
		record_set_text(&f[i], UPF_METHOD, PICK(r, methods));
		record_set_text(&f[i], UPF_CONTENT, PICK(r, talks));
		record_set_text(&f[i], UPF_RESULT, PICK(r, outcomes));
		if (i == nf - 1 && h->next_step) {
			record_set_text(&f[i], UPF_NEXT_STEP, h->next_step);
			record_set_text(&f[i], UPF_NEXT_STEP_DUE, h->next_due);
		} else if (i < nf - 1 && pick(r, 3) == 0) {
			record_set_text(&f[i], UPF_NEXT_STEP, PICK(r, next_steps));
			record_set_text(&f[i], UPF_NEXT_STEP_DUE,
			                day_text(a, day + 3 + pick(r, 28)));
		}
		record_set_int(&f[i], UPF_OWNER, owner);
	}
	for (int i = 0; i < h->norders; i++)
		record_set_int(&h->orders[i], ORF_OWNER, owner);
	out->followups += nf;
	out->orders += h->norders;
	return activity_add_history(s, id, f, nf, h->orders, h->norders);
}

static void fill_customer(svc *s, rng *r, kh_record *c, kh_record *k, int *nk, const demo_org *org,
                          int64_t today, history *h)
{
	arena *a = s->a;
	const struct city *ct = &PICK(r, cities);
	const struct trade *tr = &PICK(r, trades);
	int kind = pick(r, 100);
	const char *name;
	if (kind < 80)
		name = arena_printf(a, "%s%s%s%s", ct->city, PICK(r, brands), tr->words[pick(r, 4)],
		                    PICK(r, suffixes));
	else if (kind < 95)
		name = person_name(r, a);
	else
		name = arena_printf(a, "%s%s", ct->city, PICK(r, institutions));
	record_set_text(c, CF_NAME, name);
	record_set_text(c, CF_KIND,
	                kind < 80   ? "enterprise"
	                : kind < 95 ? "individual"
	                            : "institution");
	record_set_text(c, CF_INDUSTRY, tr->industry);
	record_set_text(c, CF_REGION, ct->region);
	record_set_text(c, CF_PROVINCE, ct->province);
	record_set_text(c, CF_CITY, ct->city);
	record_set_text(c, CF_STREET,
	                arena_printf(a, "%s路%d号", PICK(r, brands), 1 + pick(r, 999)));
	record_set_text(c, CF_SOURCE, PICK(r, sources));
	record_set_int(c, CF_OWNER, org->sales[pick(r, org->nsales)]);
	const char *first = date_between(r, a, today - 3 * 365, today - 1);
	record_set_text(c, CF_FIRST_CONTACT_DATE, first);
	const char *need = PICK(r, needs);
	record_set_text(c, CF_REQUIREMENT, arena_printf(a, need, 2 + pick(r, 98)));
	if (kind < 80)
		record_set_text(c, CF_CREDIT_CODE, credit_code(r, a));

	h->first_contact = days_of(first);

	/* deal history: a third never bought, most bought a few times (drawn as before
	 * demo data had orders, so that a seed gives the same customers) */
	int roll = pick(r, 100);
	int deals = roll < 35 ? 0 : roll < 60 ? 1 : roll < 80 ? 2 + pick(r, 2) : 4 + pick(r, 17);
	const char *status;
	if (deals == 0)
		status = pick(r, 3) ? "potential" : "intent";
	else
		status = pick(r, 10) < 7 ? "active" : pick(r, 2) ? "paused" : "lost";
	record_set_text(c, CF_STATUS, status);
	h->deals = deals;
	if (deals > 0) {
		h->first_deal = day_between(r, h->first_contact, today);
		h->last_deal = deals == 1 ? h->first_deal : day_between(r, h->first_deal, today);
		h->avg = (int64_t)(1000 + pick(r, 200000)) * 100;
		record_set_int(c, CF_CONTRACT_AMOUNT, h->avg * (1 + pick(r, 3)));
		h->offer = pick(r, 2) ? 0 : 1;
		record_set_text(c, CF_PRODUCTS,
		                h->offer == 0 ? "办公设备、维保服务" : "软件授权、技术服务");
	}
	h->last_followup = day_between(r, h->first_contact, today);
	h->next_step = NULL;
	if (pick(r, 2)) {
		h->next_step = PICK(r, next_steps);
		h->next_due = date_between(r, a, today - 10, today + 30);
	}
	if (pick(r, 3) == 0) {
		const char *t1 = PICK(r, tags), *t2 = PICK(r, tags);
		record_set_text(c, CF_TAGS,
		                strcmp(t1, t2) ? arena_printf(a, "[\"%s\",\"%s\"]", t1, t2)
		                               : arena_printf(a, "[\"%s\"]", t1));
	}
	record_set_int(c, CF_PURCHASE_ESTIMATE, (int64_t)(10 + pick(r, 990)) * 1000000);
	if (kind >= 80 && kind < 95) {
		record_set_text(c, CF_GENDER, pick(r, 2) ? "male" : "female");
		record_set_text(c, CF_BIRTH_DATE,
		                date_between(r, a, days_of("1960-01-01"), days_of("2002-12-31")));
	}
	*nk = 1 + (pick(r, 3) == 0) + (pick(r, 6) == 0);
	for (int i = 0; i < *nk; i++) {
		record_init(&k[i], &contact_entity, a);
		record_set_text(&k[i], KF_NAME,
		                kind >= 80 && kind < 95 && i == 0 ? name : person_name(r, a));
		record_set_text(&k[i], KF_POSITION, PICK(r, positions));
		record_set_text(&k[i], KF_PHONE, mobile(r, a));
		if (pick(r, 2))
			record_set_text(&k[i], KF_EMAIL,
			                arena_printf(a, "contact%u@example.com",
			                             (unsigned)(next(r) % 1000000u)));
	}
}

/* ---- the working records: opportunities, tickets, visits, evaluations, requests, pool ---- */

/*
 * What the working records of a demo share: who handles tickets, the
 * evaluation indicators, the approval chains, what has been made so far. The
 * records are written as they happened: s->clock is set to each one's moment
 * over the past year, so their timestamps, stage histories, closing dates and
 * codes carry that day, and the rules of the use cases hold for each step.
 */
typedef struct demo_ctx {
	const demo_org *org;
	int64_t today;    /* days */
	int64_t now_unix; /* the real clock: nothing is dated after it */
	kh_record *inds;  /* active evaluation indicators */
	int ninds;
	bool chains;        /* the request types have approval chains */
	bool manager_waits; /* a request waits for a manager's decision */
	demo_result *out;
} demo_ctx;

/* One demo customer as the working records see it. */
typedef struct demo_customer {
	int64_t id, owner;
	const char *status;
	const int64_t *contacts;
	int ncontacts;
	const history *h;
	int64_t horizon; /* no record after this day: today, or the day it went to the pool */
} demo_customer;

/* Set the clock to minute (local, from midnight) of day, never after now; that time. */
static const char *clock_at(svc *s, const demo_ctx *d, int64_t day, int minute)
{
	int64_t t = day * 86400 + (int64_t)minute * 60 - (int64_t)s->snap->tz_minutes * 60;
	if (t > d->now_unix - 60)
		t = d->now_unix - 60;
	char iso[TIME_LEN];
	time_format_iso(iso, t);
	s->clock = arena_strdup(s->a, iso);
	return s->clock;
}

/* A working hour's minute: 09:00 to 17:59 */
static int work_minute(rng *r)
{
	return 9 * 60 + pick(r, 9 * 60);
}

static int64_t contact_of(rng *r, const demo_customer *c)
{
	return c->contacts[pick(r, c->ncontacts)];
}

/* Create r (of kind k) for customer c at the clock's moment, by the rules of a user's
 * create. */
static int create_at(svc *s, const demo_customer *c, const record_kind *k, kh_record *r,
                     const child_rows *ch)
{
	record_set_int(r, k->customer_field, c->id);
	if (record_create_check(s, k, r) < 0 || (ch && children_check(s, k, r, ch) < 0) ||
	    record_create_txn(s, k, r) < 0 || (ch && children_save(s, k, r->v[F_ID].i, ch) < 0))
		return -1;
	return 0;
}

static const char *const open_stages[] = {"lead", "analysis", "proposal", "negotiation"};
static const char *const lost_reasons[] = {"price", "competitor", "no_budget", "no_need",
                                           "service"};
static const char *const lost_notes[] = {
        "对方最终选择了报价更低的供应商", "预算被砍，项目推迟到明年", "竞品提供了更长的免费维保期",
        "对方内部调整，需求取消",         "对售后响应速度不满意",
};
static const char *const deal_names[] = {"年度采购项目", "升级改造项目", "扩容项目",
                                         "续约项目",     "新建项目",     "试点项目"};

/*
 * An opportunity from day start through the open stages up to stage index top,
 * then won (linking order, on its date), lost (on end) or left open. Each stage
 * is entered on its own day, so its history reads as it went.
 */
static int add_opportunity(svc *s, rng *r, demo_ctx *d, const demo_customer *c, int64_t start,
                           int64_t end, int top, const char *close, const kh_record *order)
{
	arena *a = s->a;
	const history *h = c->h;
	kh_record o;
	record_init(&o, &opportunity_entity, a);
	const char *product = order ? order->v[ORF_PRODUCT].s
	                            : offers[h->deals ? h->offer : pick(r, 2)][pick(r, 2)];
	const dict_option *p = dict_find(s->snap->dicts, "product", product);
	record_set_text(&o, OPF_NAME,
	                arena_printf(a, "%s%s", p ? p->label_zh : "", PICK(r, deal_names)));
	int64_t amount = order      ? order->v[ORF_AMOUNT].i
	                 : h->deals ? h->avg
	                            : (int64_t)(5000 + pick(r, 300000)) * 100;
	record_set_int(&o, OPF_EXPECTED_AMOUNT, amount);
	record_set_text(&o, OPF_EXPECTED_CLOSE, day_text(a, end + (close ? 0 : 15 + pick(r, 60))));
	record_set_text(&o, OPF_PRODUCT, product);
	record_set_int(&o, OPF_CONTACT, contact_of(r, c));
	record_set_int(&o, OPF_OWNER, c->owner);
	record_set_int(&o, OPF_CUSTOMER, c->id);
	if (start < h->first_contact)
		start = h->first_contact < end ? h->first_contact : end;
	kh_record steps[4];
	const char *at[5];
	int minute = work_minute(r);
	at[0] = clock_at(s, d, start, minute);
	int n = top + (close != NULL); /* moves after the lead */
	for (int i = 1, prev = (int)start; i <= n; i++) {
		int64_t day = i == n && close ? end : start + (end - start) * i / (n + 1);
		/* one step after the other, on the same day too */
		minute = day == prev ? minute + 30 + pick(r, 90) : work_minute(r);
		prev = (int)day;
		kh_record *st = &steps[i - 1];
		record_init(st, &opportunity_entity, a);
		bool closing = close && i == n;
		record_set_text(st, OPF_STAGE, closing ? close : open_stages[i]);
		if (closing && !strcmp(close, STAGE_LOST)) {
			int why = pick(r, 5);
			record_set_text(st, OPF_LOST_REASON, lost_reasons[why]);
			record_set_text(st, OPF_LOST_NOTE, lost_notes[why]);
		}
		at[i] = clock_at(s, d, day, minute);
	}
	history_row *hist;
	int nhist;
	if (record_walk_check(s, &opportunity_kind, &o, steps, n, at, &hist, &nhist) < 0)
		return -1;
	if (order) /* won with this order, as svc_opportunity_win links it */
		record_set_int(&o, OPF_ORDER, order->v[F_ID].i);
	if (record_walk_txn(s, &opportunity_kind, &o, hist, nhist) < 0)
		return -1;
	d->out->opportunities++;
	d->out->won += close && !strcmp(close, STAGE_WON);
	d->out->lost += close && !strcmp(close, STAGE_LOST);
	return 0;
}

/*
 * The customer's opportunities: the latest order of most buyers was won from
 * one, some customers lost one, and the ones still talking have one open.
 */
static int add_opportunities(svc *s, rng *r, demo_ctx *d, const demo_customer *c)
{
	const history *h = c->h;
	if (h->norders && pick(r, 100) < 50) {
		const kh_record *o = &h->orders[0];
		for (int i = 1; i < h->norders; i++)
			if (strcmp(h->orders[i].v[ORF_DATE].s, o->v[ORF_DATE].s) > 0)
				o = &h->orders[i];
		int64_t won = days_of(o->v[ORF_DATE].s);
		if (won <= c->horizon && won > d->today - 365 &&
		    add_opportunity(s, r, d, c, won - 20 - pick(r, 90), won, 1 + pick(r, 3),
		                    STAGE_WON, o) < 0)
			return -1;
	}
	bool lost = !strcmp(c->status, "lost") || !strcmp(c->status, "paused");
	if (pick(r, 100) < (lost ? 45 : 10)) {
		int64_t end = day_between(r, d->today - 280, c->horizon - 5);
		if (add_opportunity(s, r, d, c, end - 15 - pick(r, 60), end, pick(r, 4), STAGE_LOST,
		                    NULL) < 0)
			return -1;
	}
	bool talking = !strcmp(c->status, "intent") || !strcmp(c->status, "active") ||
	               (!strcmp(c->status, "potential") && pick(r, 3) == 0);
	if (talking && c->horizon == d->today && pick(r, 100) < 35) {
		int top = pick(r, 4);
		if (add_opportunity(s, r, d, c, d->today - 10 * top - pick(r, 40), d->today, top,
		                    NULL, NULL) < 0)
			return -1;
	}
	return 0;
}

static const struct ticket_text {
	const char *type, *content, *resolution;
	bool complaint;
} ticket_texts[] = {
        {"quality", "设备运行时有异响，要求检修", "上门检修，更换损坏部件", true},
        {"quality", "到货产品外包装破损，部分配件缺失", "补发缺失配件并致歉", true},
        {"logistics", "发货比约定晚了一周，影响对方项目进度", "协调物流加急，补偿运费", true},
        {"after_sales", "报修后两天无人响应", "安排专人跟进，建立响应时限", true},
        {"after_sales", "软件升级后部分功能无法使用", "远程协助回滚并修复配置", true},
        {"inquiry", "咨询发票开具和对账流程", "发送对账单和开票说明", false},
        {"inquiry", "询问新产品的报价和交期", "发送最新报价单", false},
        {"suggestion", "建议增加操作培训的场次", "已加入下季度培训计划", false},
        {"suggestion", "希望提供电子版使用手册", "发送电子版手册和视频教程", false},
};

/*
 * The customer's service tickets, opened after its first deal: most customers who
 * bought asked something once or twice, a few complain again and again. Older
 * tickets are resolved, with the customer's satisfaction mostly given.
 */
static int add_tickets(svc *s, rng *r, demo_ctx *d, const demo_customer *c)
{
	const history *h = c->h;
	if (!h->deals)
		return 0;
	bool complainer = pick(r, 100) < 3;
	int n = complainer ? 3 + pick(r, 3) : pick(r, 100) < 30 ? 1 + pick(r, 2) : 0;
	int64_t from = h->first_deal > d->today - 365 ? h->first_deal : d->today - 365;
	if (from > c->horizon)
		n = 0; /* it bought after it went quiet: nothing to ask since */
	arena *a = s->a;
	for (int i = 0; i < n; i++) {
		const struct ticket_text *t =
		        complainer ? &ticket_texts[pick(r, 5)]
		                   : &ticket_texts[pick(r, 100) < 12 ? pick(r, 5) : 5 + pick(r, 4)];
		int64_t opened = day_between(r, from, c->horizon);
		kh_record k;
		record_init(&k, &ticket_entity, a);
		record_set_int(&k, TKF_CONTACT, contact_of(r, c));
		record_set_text(&k, TKF_TYPE, t->type);
		record_set_int(&k, TKF_IS_COMPLAINT, t->complaint);
		record_set_text(&k, TKF_CONTENT, t->content);
		record_set_int(&k, TKF_CUSTOMER, c->id);
		int minute = work_minute(r);
		kh_record steps[2];
		const char *at[3];
		at[0] = clock_at(s, d, opened, minute);
		/* taken up within hours, resolved within days; the newest still open */
		int64_t age = d->today - opened;
		int roll = pick(r, 100);
		int stage = age > 20  ? (roll < 97 ? 2 : 1)
		            : age > 3 ? (roll < 70 ? 2 : 1)
		                      : roll % 3;
		if (c->horizon < d->today)
			stage = 2; /* handled before it went to the pool */
		int64_t day = opened;
		for (int step = 1; step <= stage; step++) {
			kh_record *patch = &steps[step - 1];
			record_init(patch, &ticket_entity, a);
			if (step == 1) {
				record_set_text(patch, TKF_STATUS, TICKET_IN_PROGRESS);
				record_set_int(patch, TKF_HANDLER, d->org->service);
				minute += 30 + pick(r, 180);
			} else {
				record_set_text(patch, TKF_STATUS, TICKET_RESOLVED);
				record_set_text(patch, TKF_RESOLUTION, t->resolution);
				int64_t left =
				        (c->horizon < d->today ? c->horizon : d->today) - day;
				day += left > 0 ? pick(r, (int)(left < 6 ? left + 1 : 6)) : 0;
				minute = day == opened ? minute + 60 : work_minute(r);
				if (pick(r, 100) < 80)
					record_set_int(patch, TKF_SATISFACTION,
					               t->complaint ? 1 + pick(r, 4)
					                            : 3 + pick(r, 3));
			}
			at[step] = clock_at(s, d, day, minute);
		}
		history_row *hist;
		int nhist;
		if (record_walk_check(s, &ticket_kind, &k, steps, stage, at, &hist, &nhist) < 0 ||
		    record_walk_txn(s, &ticket_kind, &k, hist, nhist) < 0)
			return -1;
		d->out->tickets++;
		d->out->complaints += t->complaint;
		d->out->resolved += stage == 2;
	}
	return 0;
}

static const char *const visit_talks[] = {
        "拜访采购负责人，介绍新产品方案",   "现场查看设备使用情况，收集问题",
        "与技术团队讨论实施细节",           "商谈年度合作框架和价格",
        "处理上次反馈的售后问题，对方认可", "陪同对方参观样板客户",
};
static const char *const places[] = {"客户办公室", "客户工厂", "客户会议室", "我司展厅"};

/*
 * Visit plans of a customer the salesperson goes to see: the past ones carried
 * out by a visit on the planned day (its expenses by item) or called off, the
 * coming ones planned. Visits fall on or before the customer's last follow-up
 * (a visit is a contact too), so they leave its last contact date as it is.
 */
static int add_visits(svc *s, rng *r, demo_ctx *d, const demo_customer *c)
{
	bool seen = !strcmp(c->status, "active") || !strcmp(c->status, "intent");
	if (pick(r, 100) >= (seen ? 30 : 8))
		return 0;
	arena *a = s->a;
	const history *h = c->h;
	int n = 1 + pick(r, 2);
	int64_t last = h->last_followup < c->horizon ? h->last_followup : c->horizon;
	for (int i = 0; i < n; i++) {
		bool coming = i == n - 1 && c->horizon == d->today && pick(r, 3) == 0;
		int64_t day = coming ? d->today + 1 + pick(r, 14)
		                     : day_between(r,
		                                   last - 180 > h->first_contact ? last - 180
		                                                                 : h->first_contact,
		                                   last);
		const char *purpose = h->deals ? (pick(r, 3) ? "c" : "b") : "a";
		kh_record p;
		record_init(&p, &visit_plan_entity, a);
		int64_t contact = contact_of(r, c);
		record_set_int(&p, VPF_CONTACT, contact);
		record_set_text(&p, VPF_DATE, day_text(a, day));
		int hour = 9 + pick(r, 8);
		record_set_text(&p, VPF_TIME,
		                arena_printf(a, "%02d:%s", hour, pick(r, 2) ? "00" : "30"));
		record_set_text(&p, VPF_PURPOSE, purpose);
		record_set_text(&p, VPF_PLACE, PICK(r, places));
		record_set_int(&p, VPF_OWNER, c->owner);
		bool cancelled = !coming && pick(r, 100) < 12;
		if (cancelled)
			record_set_text(&p, VPF_STATUS, PLAN_CANCELLED);
		clock_at(s, d, (coming ? d->today : day) - 1 - pick(r, 5), work_minute(r));
		if (create_at(s, c, &visit_plan_kind, &p, NULL) < 0)
			return -1;
		d->out->visit_plans++;
		if (coming || cancelled)
			continue;
		kh_record v;
		record_init(&v, &visit_entity, a);
		record_set_int(&v, VF_CONTACT, contact);
		record_set_int(&v, VF_PLAN, p.v[F_ID].i);
		record_set_text(&v, VF_DATE, day_text(a, day));
		record_set_text(&v, VF_PURPOSE, purpose);
		static const char *const outcome_of[] = {"a", "b", "b", "c", "c", "e", "d"};
		record_set_text(&v, VF_OUTCOME, PICK(r, outcome_of));
		record_set_text(&v, VF_SUMMARY, PICK(r, visit_talks));
		record_set_int(&v, VF_RATE_GROWTH, 2 + pick(r, 4));
		record_set_int(&v, VF_RATE_CREDIT, h->deals ? 3 + pick(r, 3) : 2 + pick(r, 3));
		record_set_int(&v, VF_RATE_PROFIT, 2 + pick(r, 4));
		record_set_int(&v, VF_RATE_POSITION, 1 + pick(r, 5));
		record_set_int(&v, VF_OWNER, c->owner);
		static const char *const items[] = {"transport", "meal", "gift", "lodging"};
		kh_record *x = arena_calloc(a, 3, sizeof(kh_record));
		int nx = 1 + pick(r, 3);
		for (int j = 0; j < nx; j++) {
			record_init(&x[j], &visit_expense_entity, a);
			record_set_text(&x[j], VEF_ITEM, items[j == 0 ? 0 : j + pick(r, 4 - j)]);
			record_set_int(&x[j], VEF_AMOUNT,
			               (int64_t)(j == 0 ? 20 + pick(r, 180) : 100 + pick(r, 900)) *
			                       100);
		}
		for (int j = 1; j < nx; j++)
			if (!strcmp(x[j].v[VEF_ITEM].s, x[j - 1].v[VEF_ITEM].s))
				nx = j; /* one row per item */
		child_rows ch = {x, nx};
		clock_at(s, d, day, (hour + 2) * 60 + pick(r, 60));
		if (create_at(s, c, &visit_kind, &v, &ch) < 0)
			return -1;
		d->out->visits++;
	}
	return 0;
}

static const char *const strengths[] = {
        "采购量稳定增长，付款及时",
        "合作多年，关系稳固",
        "行业地位领先，带动效应明显",
};
static const char *const problems[] = {
        "近期多次投诉产品质量和售后响应",
        "回款持续延迟，账期不断拉长",
        "采购量明显下滑，转向竞品",
};

/*
 * A relationship evaluation of a customer that bought: scores that follow how it
 * deals with us (an active, frequent buyer scores high and is to be developed;
 * a lost one scores low), and for some the countermeasure table that goes
 * with it: important customers to develop, problem customers who complain.
 */
static int add_evaluation(svc *s, rng *r, demo_ctx *d, const demo_customer *c, int complaints)
{
	const history *h = c->h;
	bool problem = complaints >= 3;
	if (!d->ninds || !h->deals || (!problem && pick(r, 100) >= 12))
		return 0;
	arena *a = s->a;
	int base = !strcmp(c->status, "active")   ? (h->deals >= 4 ? 82 : 68)
	           : !strcmp(c->status, "paused") ? 50
	                                          : 25;
	if (problem)
		base -= 15;
	kh_record *sc = arena_calloc(a, (size_t)d->ninds, sizeof(kh_record));
	for (int i = 0; i < d->ninds; i++) {
		int64_t max = d->inds[i].v[INF_MAX_SCORE].i;
		int64_t v = max * (base - 10 + pick(r, 21)) / 100;
		record_init(&sc[i], &evaluation_score_entity, a);
		record_set_int(&sc[i], ESF_INDICATOR, d->inds[i].v[F_ID].i);
		record_set_int(&sc[i], ESF_SCORE, v < 0 ? 0 : v > max ? max : v);
	}
	int64_t from = h->first_deal > c->horizon - 180 ? h->first_deal : c->horizon - 180;
	int64_t day = day_between(r, from < c->horizon ? from : c->horizon, c->horizon);
	kh_record e;
	record_init(&e, &evaluation_entity, a);
	record_set_int(&e, EVF_CUSTOMER, c->id);
	record_set_text(&e, EVF_DATE, day_text(a, day));
	record_set_int(&e, EVF_EVALUATOR, c->owner);
	clock_at(s, d, day, work_minute(r));
	int64_t id;
	if (svc_evaluation_create(s, &e, sc, d->ninds, &id) < 0)
		return -1;
	d->out->evaluations++;
	const char *advice = record_text(&e, EVF_ADVICE);
	bool important = advice && !strcmp(advice, "develop");
	if (!problem && !(important && pick(r, 2)))
		return 0;
	kh_record m;
	record_init(&m, &countermeasure_entity, a);
	record_set_text(&m, CMF_KIND, problem ? "problem" : "important");
	record_set_text(&m, CMF_DATE, day_text(a, day));
	record_set_text(&m, CMF_SALES,
	                arena_printf(a, "累计成交%d笔，约%lld万元", h->deals,
	                             (long long)(h->avg * h->deals / 1000000 + 1)));
	if (problem) {
		static const char *const trends[] = {"slight", "marked", "severe"};
		record_set_text(&m, CMF_TREND, PICK(r, trends));
		record_set_text(&m, CMF_PROBLEM, problems[pick(r, 3)]);
		record_set_text(&m, CMF_STRATEGY, "客服经理牵头回访，限期整改并每周通报进展");
		record_set_int(&m, CMF_RESPONSIBLE, d->org->service);
	} else {
		record_set_text(&m, CMF_PROBLEM, PICK(r, strengths));
		record_set_text(&m, CMF_STRATEGY, "安排季度高层互访，提供专属技术支持和优先供货");
		record_set_int(&m, CMF_RESPONSIBLE, c->owner);
	}
	record_set_text(&m, CMF_DUE, day_text(a, day + 30 + pick(r, 60)));
	record_set_text(&m, CMF_STATUS, day + 60 < d->today && pick(r, 3) ? "done" : "open");
	if (create_at(s, c, &countermeasure_kind, &m, NULL) < 0)
		return -1;
	d->out->countermeasures++;
	return 0;
}

/* The approval chains the demo's requests go through, set where none is. */
static int demo_chains(svc *s, demo_ctx *d)
{
	static const char *const chains[][2] = {
	        {"entertainment", "[{\"kind\":\"supervisor\"}]"},
	        {"entertainment_report", "[{\"kind\":\"supervisor\"}]"},
	        {"gift", "[{\"kind\":\"supervisor\"},{\"kind\":\"role\",\"role\":\"finance\"}]"},
	};
	for (size_t i = 0; i < sizeof(chains) / sizeof(chains[0]); i++) {
		json_t *have;
		int64_t version;
		if (svc_chain_get(s, chains[i][0], &have, &version) < 0)
			return -1;
		size_t n = json_array_size(have);
		json_decref(have);
		if (n)
			continue;
		json_t *steps = json_loads(chains[i][1], 0, NULL);
		int rc = svc_chain_set(s, chains[i][0], version, steps);
		json_decref(steps);
		if (rc < 0)
			return -1;
	}
	d->chains = true;
	return 0;
}

/* Act as user id (a demo user), or as kehu itself with id 0. */
static int act(svc *s, int64_t id)
{
	if (!id) {
		svc_act_as_system(s);
		return 0;
	}
	return svc_act_as(s, id);
}

/* Submit request id (version 1) and take the decisions given ('a' approve, 'r'
 * reject) by the approvers of its steps, a day apart from day on. */
static int request_way(svc *s, rng *r, demo_ctx *d, int64_t id, int64_t applicant, int64_t day,
                       const char *decisions)
{
	int64_t version = 1;
	clock_at(s, d, day, work_minute(r));
	if (act(s, applicant) < 0 || svc_request_submit(s, id, version++) < 0)
		return -1;
	const kh_record *me = snap_user(s->snap, applicant);
	int64_t finance = 0;
	for (int i = 0; i < s->snap->nusers; i++)
		if (!strcmp(s->snap->users[i].v[UF_ROLE].s, "finance") &&
		    !record_int(&s->snap->users[i], UF_DISABLED, 0))
			finance = s->snap->users[i].v[F_ID].i;
	for (int step = 0; decisions[step]; step++) {
		bool yes = decisions[step] == 'a';
		int64_t who = step == 0 ? record_int(me, UF_SUPERVISOR, 0) : finance;
		clock_at(s, d, day + step + 1, work_minute(r));
		if (act(s, who) < 0 ||
		    svc_request_decide(s, id, version++, yes,
		                       yes ? NULL : "预算超出标准，请调整后再申请") < 0)
			return -1;
	}
	return act(s, 0);
}

static json_t *budget_items(rng *r, bool actual)
{
	json_t *items = json_array();
	int64_t meal = (int64_t)(800 + pick(r, 3000)) * 100;
	int64_t transport = (int64_t)(100 + pick(r, 400)) * 100;
	json_array_append_new(items,
	                      json_pack("{s:s, s:I}", "item", "meal", "budget", (json_int_t)meal));
	json_array_append_new(items, json_pack("{s:s, s:I}", "item", "transport", "budget",
	                                       (json_int_t)transport));
	if (actual) {
		json_object_set_new(json_array_get(items, 0), "actual",
		                    json_integer(meal - meal / 10 * pick(r, 3)));
		json_object_set_new(json_array_get(items, 1), "actual", json_integer(transport));
	}
	return items;
}

/*
 * A request of the customer's salesperson: entertainment (approved, most with
 * their report after the dinner) or a gift (two steps: the supervisor, then
 * finance; some rejected). The newest wait in the approvers' inboxes, and one
 * always waits for a sales manager.
 */
static int add_request(svc *s, rng *r, demo_ctx *d, const demo_customer *c, bool *made)
{
	const kh_record *me = snap_user(s->snap, c->owner);
	const kh_record *boss = me ? snap_user(s->snap, record_int(me, UF_SUPERVISOR, 0)) : NULL;
	if (!boss)
		return 0;
	bool want = c->h->deals && pick(r, 100) < 4;
	bool force = !d->manager_waits && c->horizon == d->today &&
	             !strcmp(boss->v[UF_ROLE].s, "manager");
	if (!want && !force)
		return 0;
	if (!d->chains && demo_chains(s, d) < 0)
		return -1;
	/* its own savepoint: the caller rolls back a request the chains refuse */
	if (store_begin(s->db, s->err) < 0)
		return -1;
	*made = true;
	arena *a = s->a;
	bool pending = force || (c->horizon == d->today && pick(r, 100) < 15);
	bool gift = pick(r, 100) < 35;
	int64_t day =
	        pending ? d->today - pick(r, 3) : day_between(r, c->horizon - 300, c->horizon - 10);
	int64_t when = pending ? d->today + 3 + pick(r, 10) : day + 3 + pick(r, 7);
	kh_record q;
	record_init(&q, &request_entity, a);
	record_set_int(&q, RQF_CUSTOMER, c->id);
	record_set_text(&q, RQF_DATE, day_text(a, when));
	json_t *items = NULL;
	if (gift) {
		static const char *const gifts[] = {"茶叶礼盒", "中秋月饼", "定制笔记本",
		                                    "水果礼篮"};
		record_set_text(&q, RQF_TYPE, "gift");
		record_set_text(&q, RQF_GIFT_NAME, PICK(r, gifts));
		record_set_int(&q, RQF_QUANTITY, 2 + pick(r, 10));
		record_set_int(&q, RQF_UNIT_VALUE, (int64_t)(100 + pick(r, 400)) * 100);
		record_set_text(&q, RQF_PURPOSE, "节日问候，维护合作关系");
	} else {
		record_set_text(&q, RQF_TYPE, "entertainment");
		record_set_text(&q, RQF_PURPOSE, "宴请对方采购负责人，推进年度合作");
		record_set_text(&q, RQF_PLACE, "市区商务酒店");
		record_set_text(&q, RQF_ATTENDEES_OURS,
		                arena_printf(a, "%s、%s", record_text(me, UF_DISPLAY_NAME),
		                             record_text(boss, UF_DISPLAY_NAME)));
		record_set_text(&q, RQF_ATTENDEES_THEIRS,
		                arena_printf(a, "对方采购负责人等%d人", 2 + pick(r, 3)));
		items = budget_items(r, false);
	}
	int64_t id;
	clock_at(s, d, day, work_minute(r));
	int rc = act(s, c->owner) < 0 ? -1 : svc_request_create(s, &q, items, &id);
	json_decref(items);
	if (rc < 0)
		return -1;
	d->out->requests++;
	if (pending) {
		d->out->pending++;
		d->manager_waits |= !strcmp(boss->v[UF_ROLE].s, "manager");
		return request_way(s, r, d, id, c->owner, day, "");
	}
	bool rejected = gift && pick(r, 100) < 20;
	if (request_way(s, r, d, id, c->owner, day, gift ? (rejected ? "ar" : "aa") : "a") < 0)
		return -1;
	if (gift || when >= c->horizon || pick(r, 100) >= 70)
		return 0;
	/* the report after the dinner, with what it cost */
	kh_record rep;
	record_init(&rep, &request_entity, a);
	record_set_text(&rep, RQF_TYPE, "entertainment_report");
	record_set_int(&rep, RQF_REPORT_OF, id);
	record_set_text(&rep, RQF_DATE, day_text(a, when));
	record_set_text(&rep, RQF_EFFECT, "对方认可合作方案，同意下月启动采购");
	items = budget_items(r, true);
	clock_at(s, d, when + 1, work_minute(r));
	int64_t rid;
	rc = act(s, c->owner) < 0 ? -1 : svc_request_create(s, &rep, items, &rid);
	json_decref(items);
	if (rc < 0)
		return -1;
	d->out->requests++;
	return request_way(s, r, d, rid, c->owner, when + 1, "a");
}

/* Customers let go long ago, and gone quiet, are back in the pool: released by
 * kehu itself (a pool event names the owner they had). */
static int64_t pool_day(rng *r, const demo_ctx *d, const char *status, const history *h)
{
	bool quiet = strcmp(status, "active") != 0 && strcmp(status, "intent") != 0 &&
	             h->last_followup < d->today - 120;
	if (!quiet || pick(r, 100) >= 12)
		return 0;
	return day_between(r, d->today - 60, d->today - 1);
}

static int add_work(svc *s, rng *r, demo_ctx *d, const demo_customer *c)
{
	int64_t before = d->out->complaints;
	if (add_opportunities(s, r, d, c) < 0 || add_tickets(s, r, d, c) < 0 ||
	    add_visits(s, r, d, c) < 0 ||
	    add_evaluation(s, r, d, c, (int)(d->out->complaints - before)) < 0)
		return -1;
	demo_result was = *d->out;
	bool waits = d->manager_waits;
	bool made = false;
	if (add_request(s, r, d, c, &made) < 0) {
		/* chains an administrator set otherwise than the demo's requests go: those
		 * requests are left out, the rest of the demo stays */
		kh_code why = s->err->code;
		if (made)
			store_rollback(s->db);
		act(s, 0);
		if (why != KH_ESTATE && why != KH_EFORBIDDEN)
			return -1;
		err_clear(s->err);
		*d->out = was;
		d->manager_waits = waits;
	} else if (made && store_commit(s->db, s->err) < 0) {
		return -1;
	}
	if (c->horizon < d->today) {
		clock_at(s, d, c->horizon, 2 * 60);
		if (svc_pool_release(s, c->id, -1, "超过90天未跟进，退回公海") < 0)
			return -1;
		d->out->pooled++;
	}
	s->clock = NULL;
	return 0;
}

int svc_demo(svc *s, long n, unsigned seed, demo_result *out,
             void (*progress)(long done, long total, void *ud), void *ud)
{
	memset(out, 0, sizeof(*out));
	const char **password = &out->password;
	svc_act_as_system(s);
	s->allow_derived = true;
	char pw[CRYPTO_TOKEN_LEN];
	crypto_token(pw);
	pw[12] = '\0';
	*password = arena_strdup(s->a, pw);
	demo_org org = {0};
	if (build_org(s, n, *password, &org) < 0)
		return -1;
	if (!org.created)
		*password = NULL; /* the demo users existed: their passwords stay as they were */
	/* without a seed, a random one: a second demo must not repeat the first's
	 * credit codes (they are unique) */
	uint64_t s0 = seed;
	if (!s0)
		crypto_random(&s0, sizeof(s0));
	rng r = {s0 | 1};
	/* the follow-ups and orders draw from their own stream */
	rng rh = {(s0 * 0x9E3779B97F4A7C15ull) | 1};
	/* and the working records from a third */
	rng rw = {(s0 * 0xD1B54A32D192ED03ull) | 1};
	char today[DATE_LEN];
	date_today(today, s->snap->tz_minutes);
	int64_t t = days_of(today);
	demo_ctx d = {.org = &org, .today = t, .now_unix = time_now_unix(), .out = out};
	int64_t wsum;
	if (svc_indicator_list(s, false, &d.inds, &d.ninds, &wsum) < 0)
		return -1;
	if (wsum != EVAL_WEIGHT_TOTAL)
		d.ninds = 0; /* evaluations wait for an administrator to fix the weights */
	/* batches of 5000 customers per transaction; each customer a savepoint. The
	 * generated records are audited as one event, not a million. */
	const long batch = 5000;
	store_bulk_mode(s->db);
	if (store_begin(s->db, s->err) < 0 ||
	    audit_event(s, "demo_data", "customer", 0,
	                json_pack("{s:I}", "customers", (json_int_t)n)) < 0 ||
	    store_commit(s->db, s->err) < 0)
		return -1;
	s->bulk_audit = true;
	arena *outer = s->a;
	arena work = ARENA_INIT;
	for (long done = 0; done < n;) {
		arena tmp = ARENA_INIT;
		s->a = &tmp;
		if (store_begin(s->db, s->err) < 0)
			goto fail;
		long end = done + batch < n ? done + batch : n;
		for (; done < end; done++) {
			kh_record c, k[3];
			int nk;
			history h = {0};
			record_init(&c, &customer_entity, &tmp);
			fill_customer(s, &r, &c, k, &nk, &org, t, &h);
			plan_orders(s, &rh, &c, &h, t);
			int64_t id;
			if (svc_customer_create(s, &c, k, nk, &id) < 0 ||
			    add_history(s, &rh, id, c.v[CF_OWNER].i, k, nk, &h, out) < 0) {
				store_rollback(s->db);
				goto fail;
			}
			int64_t kid[3];
			for (int i = 0; i < nk; i++)
				kid[i] = k[i].v[F_ID].i;
			const char *status = record_text(&c, CF_STATUS);
			int64_t pooled = pool_day(&rw, &d, status, &h);
			demo_customer dc = {.id = id,
			                    .owner = c.v[CF_OWNER].i,
			                    .status = status,
			                    .contacts = kid,
			                    .ncontacts = nk,
			                    .h = &h,
			                    .horizon = pooled ? pooled : t};
			/* what the working records allocate is theirs alone: reused per customer */
			s->a = &work;
			int rc = add_work(s, &rw, &d, &dc);
			s->a = &tmp;
			arena_reset(&work);
			if (rc < 0) {
				s->clock = NULL;
				svc_act_as_system(s);
				store_rollback(s->db);
				goto fail;
			}
		}
		if (store_commit(s->db, s->err) < 0)
			goto fail;
		s->a = outer;
		arena_release(&tmp);
		if (progress)
			progress(done, n, ud);
		continue;
	fail:
		/* error messages live in the error's own arena, not in tmp */
		s->a = outer;
		arena_release(&tmp);
		arena_release(&work);
		s->bulk_audit = false;
		return -1;
	}
	arena_release(&work);
	s->bulk_audit = false;
	return 0;
}
