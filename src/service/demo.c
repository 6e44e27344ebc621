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
	int created; /* users created now (an earlier demo may have made them) */
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
	if (boss < 0 || lead < 0 ||
	    add_user(s, org, "zhaolei", "赵磊", "service", service, 0, NULL, pw) < 0 ||
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
	char today[DATE_LEN];
	date_today(today, s->snap->tz_minutes);
	int64_t t = days_of(today);
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
		s->bulk_audit = false;
		return -1;
	}
	s->bulk_audit = false;
	return 0;
}
