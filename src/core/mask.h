/*
 * mask — how personal data looks to a viewer without the unmask permission.
 *
 * The service layer masks every record it hands out (list, show, search,
 * export, audit) with record_mask, so no adapter can forget it.
 */
#ifndef KEHU_CORE_MASK_H
#define KEHU_CORE_MASK_H

#include <stdbool.h>

#include "core/entity.h"

/* Masked copy of s by kind; NULL stays NULL. */
const char *mask_text(arena *a, mask_kind kind, const char *s);

/*
 * Mask r in place: FF_PII fields masked unless may_unmask; FF_PROFILE fields
 * removed (absent) unless may_profile.
 */
void record_mask(kh_record *r, arena *a, bool may_unmask, bool may_profile);

#endif
