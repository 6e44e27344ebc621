/*
 * i18n — the one message catalogue, in zh-CN and en.
 *
 * Messages are written in English in the source (the gettext msgid) and
 * marked with N_() or passed to tr()/err_set()/err_field(); po/zh_CN.po
 * holds the Chinese. The build compiles it with msgfmt and embeds the .mo
 * bytes in the binary, so lookups need no installed locale and each call
 * picks its language (gettext's own lookup follows the process locale,
 * which a server answering zh-CN and en requests at once cannot use).
 */
#ifndef KEHU_UTIL_I18N_H
#define KEHU_UTIL_I18N_H

#include <stdbool.h>

typedef enum kh_lang {
	KH_LANG_ZH = 0, /* zh-CN, the default */
	KH_LANG_EN = 1,
} kh_lang;

/* Mark a string for the catalogue without translating it here. */
#define N_(s) s

/* msgid translated into lang; msgid itself when English or untranslated. */
const char *tr(kh_lang lang, const char *msgid);

/* Language from an Accept-Language header value (NULL -> zh-CN). */
kh_lang lang_from_accept(const char *header);
/* Language from LC_ALL / LC_MESSAGES / LANG / LANGUAGE (en* -> en, else zh-CN). */
kh_lang lang_from_env(void);
/* Parse "zh", "zh-CN", "zh_CN.UTF-8", "en", "en-US" ...; false if neither. */
bool lang_parse(const char *tag, kh_lang *out);
/* "zh-CN" or "en". */
const char *lang_tag(kh_lang lang);

#endif
