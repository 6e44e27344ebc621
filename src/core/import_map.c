/*
 * import_map — header to field, and dates and yes/no as people type them.
 */
#include "core/import_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/customer.h"
#include "util/i18n.h"
#include "util/utf8.h"

#define C(kf) (IMPORT_CONTACT + (kf))

/* Headers of the seeds' templates and of other CRMs' exports that are not a
 * field's label; matched after folding (lower case, half-width). */
static const struct {
	const char *header;
	int target;
} aliases[] = {
        {"客户编号", CF_CODE},
        {"编号", CF_CODE},
        {"客户代码", CF_CODE},
        {"customer code", CF_CODE},
        {"customer id", CF_CODE},
        {"customer no", CF_CODE},
        {"customer no.", CF_CODE},
        {"account number", CF_CODE},
        {"客户名称", CF_NAME},
        {"客户全称", CF_NAME},
        {"公司名称", CF_NAME},
        {"单位名称", CF_NAME},
        {"企业名称", CF_NAME},
        {"客户姓名", CF_NAME},
        {"店名", CF_NAME},
        {"店铺名称", CF_NAME},
        {"customer", CF_NAME},
        {"customer name", CF_NAME},
        {"company", CF_NAME},
        {"company name", CF_NAME},
        {"account", CF_NAME},
        {"account name", CF_NAME},
        {"所属行业", CF_INDUSTRY},
        {"行业", CF_INDUSTRY},
        {"客户类型", CF_KIND},
        {"客户类别", CF_KIND},
        {"type", CF_KIND},
        {"customer type", CF_KIND},
        {"客户来源", CF_SOURCE},
        {"来源", CF_SOURCE},
        {"source", CF_SOURCE},
        {"lead source", CF_SOURCE},
        {"合作状态", CF_STATUS},
        {"客户状态", CF_STATUS},
        {"状态", CF_STATUS},
        {"status", CF_STATUS},
        {"需求描述", CF_REQUIREMENT},
        {"客户需求", CF_REQUIREMENT},
        {"需求", CF_REQUIREMENT},
        {"首次接触时间", CF_FIRST_CONTACT_DATE},
        {"首次接触日期", CF_FIRST_CONTACT_DATE},
        {"首次合作时间", CF_FIRST_DEAL_DATE},
        {"首次成交时间", CF_FIRST_DEAL_DATE},
        {"最近合作时间", CF_LAST_DEAL_DATE},
        {"最近成交时间", CF_LAST_DEAL_DATE},
        {"最后成交时间", CF_LAST_DEAL_DATE},
        {"最近跟进时间", CF_LAST_FOLLOWUP_DATE},
        {"最后跟进时间", CF_LAST_FOLLOWUP_DATE},
        {"合作次数", CF_DEAL_COUNT},
        {"成交次数", CF_DEAL_COUNT},
        {"累计消费金额(元)", CF_DEAL_AMOUNT},
        {"累计消费金额", CF_DEAL_AMOUNT},
        {"累计成交金额", CF_DEAL_AMOUNT},
        {"合同金额", CF_CONTRACT_AMOUNT},
        {"负责人", CF_OWNER},
        {"跟进人", CF_OWNER},
        {"业务员", CF_OWNER},
        {"销售负责人", CF_OWNER},
        {"owner", CF_OWNER},
        {"account owner", CF_OWNER},
        {"sales rep", CF_OWNER},
        {"sales agent", CF_OWNER},
        {"客户地址", CF_STREET},
        {"地址", CF_STREET},
        {"详细地址", CF_STREET},
        {"address", CF_STREET},
        {"省份", CF_PROVINCE},
        {"省", CF_PROVINCE},
        {"state", CF_PROVINCE},
        {"城市", CF_CITY},
        {"市", CF_CITY},
        {"区县", CF_DISTRICT},
        {"区域", CF_REGION},
        {"销售区域", CF_REGION},
        {"region", CF_REGION},
        {"合作产品/服务", CF_PRODUCTS},
        {"合作产品", CF_PRODUCTS},
        {"主营产品", CF_PRODUCTS},
        {"下一步计划", CF_NEXT_STEP},
        {"下一步", CF_NEXT_STEP},
        {"备注", CF_REMARKS},
        {"notes", CF_REMARKS},
        {"note", CF_REMARKS},
        {"统一社会信用代码", CF_CREDIT_CODE},
        {"信用代码", CF_CREDIT_CODE},
        {"credit code", CF_CREDIT_CODE},
        {"标签", CF_TAGS},
        {"联系人", C(KF_NAME)},
        {"联系人姓名", C(KF_NAME)},
        {"联系人名称", C(KF_NAME)},
        {"contact", C(KF_NAME)},
        {"contact name", C(KF_NAME)},
        {"contact person", C(KF_NAME)},
        {"联系人职位", C(KF_POSITION)},
        {"职位", C(KF_POSITION)},
        {"职务", C(KF_POSITION)},
        {"title", C(KF_POSITION)},
        {"job title", C(KF_POSITION)},
        {"联系方式", C(KF_PHONE)},
        {"联系电话", C(KF_PHONE)},
        {"电话", C(KF_PHONE)},
        {"手机", C(KF_PHONE)},
        {"手机号", C(KF_PHONE)},
        {"手机号码", C(KF_PHONE)},
        {"电话号码", C(KF_PHONE)},
        {"phone", C(KF_PHONE)},
        {"phone number", C(KF_PHONE)},
        {"mobile", C(KF_PHONE)},
        {"tel", C(KF_PHONE)},
        {"telephone", C(KF_PHONE)},
        {"电子邮箱", C(KF_EMAIL)},
        {"邮箱", C(KF_EMAIL)},
        {"email", C(KF_EMAIL)},
        {"e-mail", C(KF_EMAIL)},
        {"微信", C(KF_WECHAT)},
        {"微信号", C(KF_WECHAT)},
        {"wechat", C(KF_WECHAT)},
};

const kh_entity *import_target_field(int target, int *field)
{
	if (target >= IMPORT_CONTACT) {
		*field = target - IMPORT_CONTACT;
		return &contact_entity;
	}
	*field = target;
	return &customer_entity;
}

bool import_target_ok(int target)
{
	if (target >= IMPORT_CONTACT) {
		int kf = target - IMPORT_CONTACT;
		return kf == KF_NAME || kf == KF_POSITION || kf == KF_PHONE || kf == KF_EMAIL ||
		       kf == KF_WECHAT;
	}
	if (target < F_NSYSTEM || target >= CF__COUNT)
		return false;
	switch (target) {
	case CF_DEAL_COUNT:
	case CF_DEAL_AMOUNT:
	case CF_FIRST_DEAL_DATE:
	case CF_LAST_DEAL_DATE:
	case CF_LAST_FOLLOWUP_DATE:
		return true; /* the legacy totals: opening balances */
	case CF_CUSTOM:
		return false;
	default:
		break;
	}
	unsigned flags = customer_entity.fields[target].flags;
	return !(flags & (FF_SYSTEM | FF_DERIVED | FF_READONLY));
}

/* Folded header: half-width, lower case, one space, trimmed, no trailing "*"
 * or "：" (a required mark, a label's colon). */
char *import_fold_header(const char *s, arena *a)
{
	char *f = utf8_fold(a, s ? s : "", true);
	char *t = utf8_trim(a, f);
	size_t n = strlen(t);
	while (n > 0 && (t[n - 1] == '*' || t[n - 1] == ':' || t[n - 1] == ' '))
		t[--n] = '\0';
	return t;
}

static bool same(const char *folded, const char *text, arena *a)
{
	return text && strcmp(folded, import_fold_header(text, a)) == 0;
}

static int lookup(const char *h, arena *a)
{
	if (!*h)
		return IMPORT_IGNORE;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(h, aliases[i].header) == 0)
			return aliases[i].target;
	/* labels in both languages and JSON names of everything importable */
	for (int t = F_NSYSTEM; t < CF__COUNT; t++) {
		if (!import_target_ok(t))
			continue;
		const kh_field *f = &customer_entity.fields[t];
		if (same(h, f->name, a) || same(h, f->label, a) ||
		    same(h, field_label(f, KH_LANG_ZH), a))
			return t;
	}
	for (int k = F_NSYSTEM; k < KF__COUNT; k++) {
		int t = C(k);
		if (!import_target_ok(t))
			continue;
		const kh_field *f = &contact_entity.fields[k];
		const char *name = arena_printf(a, "contact_%s", f->name);
		if (same(h, name, a) || same(h, f->label, a) ||
		    same(h, field_label(f, KH_LANG_ZH), a))
			return t;
	}
	return IMPORT_IGNORE;
}

int import_map_header(const char *header, arena *a)
{
	return lookup(import_fold_header(header, a), a);
}

bool import_target_parse(const char *text, arena *a, int *target)
{
	const char *h = import_fold_header(text, a);
	if (!*h || strcmp(h, "-") == 0) {
		*target = IMPORT_IGNORE;
		return true;
	}
	if (strncmp(h, "contact.", 8) == 0)
		h = arena_printf(a, "contact_%s", h + 8);
	int t = lookup(h, a);
	if (t == IMPORT_IGNORE)
		return false;
	*target = t;
	return true;
}

const char *import_target_name(int target, arena *a)
{
	int f;
	const kh_entity *ent = import_target_field(target, &f);
	if (ent == &contact_entity)
		return arena_printf(a, "contact_%s", ent->fields[f].name);
	return ent->fields[f].name;
}

const char *import_target_label(int target, int lang, arena *a)
{
	int f;
	const kh_entity *ent = import_target_field(target, &f);
	const char *label = field_label(&ent->fields[f], lang);
	if (ent == &contact_entity && f != KF_NAME)
		return arena_printf(a, "%s: %s", tr((kh_lang)lang, N_("Contact")), label);
	return label;
}

/* Up to max digits as a number; *p moves past them. -1 when there are none. */
static int digits(const char **p, int max)
{
	int n = 0, v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

static bool emit(char out[DATE_LEN], int y, int m, int d)
{
	char tmp[DATE_LEN];
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	date_format(tmp, y, m, d);
	if (!date_valid(tmp))
		return false;
	memcpy(out, tmp, DATE_LEN);
	return true;
}

/* What may follow a date: nothing, or a time after a space or "T". */
static bool date_tail(const char *p)
{
	return *p == '\0' || *p == ' ' || *p == 'T';
}

bool import_parse_date(const char *s, char out[DATE_LEN])
{
	if (!s)
		return false;
	while (*s == ' ')
		s++;
	const char *p = s;
	int a = digits(&p, 8);
	if (a < 0)
		return false;
	size_t alen = (size_t)(p - s);
	bool serial = *p == '\0';
	if (*p == '.' && alen <= 6 && alen != 4) {
		const char *q = p + 1;
		while (*q >= '0' && *q <= '9')
			q++;
		serial = *q == '\0';
	}
	if (serial) {
		/* an Excel serial (its fraction the time of day), or 20240510 */
		if (alen == 8)
			return emit(out, a / 10000, a / 100 % 100, a % 100);
		if (alen > 6 || a < 1)
			return false;
		/* day 60 is Excel's 1900-02-29, which never was; days after it count
		 * one too many, so day 61 is 1900-03-01 */
		if (a == 60)
			return false;
		int64_t days = date_to_days(1899, 12, 31) + a - (a > 60 ? 1 : 0);
		int y, m, d;
		date_from_days(days, &y, &m, &d);
		return emit(out, y, m, d);
	}
	if (alen == 4) {
		/* year first: 2024-05-10, 2024/5/10, 2024.5.10, 2024年5月10日 */
		const char *sep1 = p;
		size_t seplen = strncmp(p, "年", 3) == 0 ? 3 : 1;
		if (seplen == 1 && *p != '-' && *p != '/' && *p != '.')
			return false;
		p += seplen;
		int m = digits(&p, 2);
		if (m < 0)
			return false;
		if (seplen == 3) {
			if (strncmp(p, "月", 3) != 0)
				return false;
			p += 3;
		} else if (*p != *sep1) {
			return false;
		} else {
			p++;
		}
		int d = digits(&p, 2);
		if (d < 0)
			return false;
		if (seplen == 3 && strncmp(p, "日", 3) == 0)
			p += 3;
		else if (seplen == 3 && strncmp(p, "号", 3) == 0)
			p += 3;
		return date_tail(p) && emit(out, a, m, d);
	}
	if (alen <= 2 && (*p == '/' || *p == '-' || *p == '.')) {
		/* month first, as English Excel shows it: 5/10/2024; a first number
		 * over 12 can only be a day: 13/5/2024 */
		char sep = *p++;
		int b = digits(&p, 2);
		if (b < 0 || *p != sep)
			return false;
		p++;
		const char *ys = p;
		int y = digits(&p, 4);
		if (y < 0 || p - ys != 4 || !date_tail(p))
			return false;
		if (a > 12)
			return emit(out, y, b, a);
		return emit(out, y, a, b);
	}
	return false;
}

bool import_parse_bool(const char *s, bool *out)
{
	static const char *yes[] = {"是", "对", "有", "yes", "y", "true", "1", "√", "✓"};
	static const char *no[] = {"否", "错", "无", "no", "n", "false", "0", "×", "✗"};
	char buf[16];
	size_t n = strlen(s);
	if (n >= sizeof(buf))
		return false;
	for (size_t i = 0; i <= n; i++)
		buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(buf, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcmp(buf, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static const kh_field batch_fields[IBF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [IBF_FILE_NAME] = {"file_name", "file_name", N_("File"), FT_TEXT, FF_LIST, NULL, 500,
                           MASK_NONE},
        [IBF_MODE] = {"mode", "mode", N_("Import mode"), FT_TEXT, FF_LIST, NULL, 16, MASK_NONE},
        [IBF_MATCH] = {"match", "match_keys", N_("Matched on"), FT_TEXT, FF_LIST, NULL, 64,
                       MASK_NONE},
        [IBF_ROWS] = {"rows", "rows_read", N_("Rows"), FT_INT, FF_LIST, NULL, 0, MASK_NONE},
        [IBF_CREATED] = {"created", "created", N_("Created"), FT_INT, FF_LIST, NULL, 0, MASK_NONE},
        [IBF_UPDATED] = {"updated", "updated", N_("Updated"), FT_INT, FF_LIST, NULL, 0, MASK_NONE},
        [IBF_UNCHANGED] = {"unchanged", "unchanged", N_("Unchanged"), FT_INT, FF_LIST, NULL, 0,
                           MASK_NONE},
        [IBF_FAILED] = {"failed", "failed", N_("Failed"), FT_INT, FF_LIST, NULL, 0, MASK_NONE},
        [IBF_UNDONE_AT] = {"undone_at", "undone_at", N_("Undone at"), FT_TIME, FF_LIST, NULL, 0,
                           MASK_NONE},
        [IBF_UNDONE_BY] = {"undone_by", "undone_by", N_("Undone by"), FT_USER, FF_LIST, NULL, 0,
                           MASK_NONE},
};

const kh_entity import_batch_entity = {
        .name = "import_batch",
        .table = "import_batches",
        .label = N_("Import"),
        .fields = batch_fields,
        .nfields = IBF__COUNT,
};

static const kh_field row_fields[IRF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [IRF_BATCH] = {"batch_id", "batch_id", N_("Import"), FT_REF, FF_LIST, "import_batch", 0,
                       MASK_NONE},
        [IRF_ROW] = {"row", "row_number", N_("Row"), FT_INT, FF_LIST, NULL, 0, MASK_NONE},
        [IRF_CUSTOMER] = {"customer_id", "customer_id", N_("Customer"), FT_REF, FF_LIST, "customer",
                          0, MASK_NONE},
        [IRF_ACTION] = {"action", "action", N_("Action"), FT_TEXT, FF_LIST, NULL, 16, MASK_NONE},
        [IRF_PREVIOUS] = {"previous", "previous", N_("Previous values"), FT_LONGTEXT, 0, NULL,
                          1000000, MASK_NONE},
        [IRF_AFTER_VERSION] = {"after_version", "after_version", N_("Version"), FT_INT, 0, NULL, 0,
                               MASK_NONE},
};

const kh_entity import_row_entity = {
        .name = "import_batch_row",
        .table = "import_batch_rows",
        .label = N_("Imported row"),
        .fields = row_fields,
        .nfields = IRF__COUNT,
};

static const kh_field mapping_fields[IMF__COUNT] = {
        KH_SYSTEM_FIELDS,
        [IMF_NAME] = {"name", "name", N_("Mapping name"), FT_TEXT, FF_REQUIRED | FF_LIST, NULL, 64,
                      MASK_NONE},
        [IMF_MAPPING] = {"mapping", "mapping", N_("Column mapping"), FT_LONGTEXT, FF_LIST, NULL,
                         100000, MASK_NONE},
};

const kh_entity import_mapping_entity = {
        .name = "import_mapping",
        .table = "import_mappings",
        .label = N_("Column mapping"),
        .fields = mapping_fields,
        .nfields = IMF__COUNT,
};
