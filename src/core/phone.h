/*
 * phone — mainland China phone numbers: normalisation and masking.
 *
 * Normal forms: mobile "13812345678"; landline "0755-12345678" (with
 * "-ext" when given); service numbers "400-123-4567"; anything with a
 * leading + other than +86 is kept as "+<digits>". The normal form is what
 * is stored, compared (dedupe) and masked.
 */
#ifndef KEHU_CORE_PHONE_H
#define KEHU_CORE_PHONE_H

#include <stdbool.h>

#include "util/arena.h"

/* Normal form of a phone number, or NULL when it is not one. */
char *phone_normalize(arena *a, const char *in);

/* Masked form: 138****5678, 0755-****5678, 400-***-4567, +12*****4567. */
char *phone_mask(arena *a, const char *normalized);

#endif
