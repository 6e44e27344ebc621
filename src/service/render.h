/*
 * render — records as the JSON documents of the API, shared by the HTTP
 * layer and the CLI's --format json, so both print the same shapes.
 */
#ifndef KEHU_SERVICE_RENDER_H
#define KEHU_SERVICE_RENDER_H

#include <jansson.h>
#include <stddef.h>

#include "service/service.h"

/* A whole record (every field the actor may see). */
json_t *render_record(svc *s, const kh_record *r);
/* A customer with its contacts inline ("contacts": [...]). */
json_t *render_customer(svc *s, const kh_record *c, const kh_record *contacts, int n);
/* A list page: {"items": [...], "next": cursor-or-null}, as JSON text written
 * directly (the hot path: no jansson tree); the caller frees it. */
char *render_page_text(svc *s, const list_page *p, size_t *len);
/* The same page as a jansson object. */
json_t *render_page(svc *s, const list_page *p);
/* A user without secrets, with the role's permissions when with_perms. */
json_t *render_user(svc *s, const kh_record *u, bool with_perms);
/* A dictionary option {id, version, kind, code, label_zh, label_en, sort_order, retired}. */
json_t *render_option(const dict_option *o);
/* An audit row; changes parsed back into JSON. */
json_t *render_audit(const audit_row *r);
/* A role: {code, zh, en, permissions, scope, version}. */
json_t *render_role(const role_row *r);
/* {"items": [{<state field>: option, "at": time, "by": user}, ...]}, oldest first. */
json_t *render_history(svc *s, const record_kind *k, const history_row *rows, int n);
/* {"items": [{kind, kind_label, id, at, summary, amount, href}, ...], "next": cursor-or-null}. */
json_t *render_timeline(svc *s, const timeline_page *p);
/* Permission names of a bit set, as a JSON array. */
json_t *render_perms(uint32_t perms);

/* The rows a record owns (a visit's expenses) as a JSON array of their shown fields. */
json_t *render_children(svc *s, const record_kind *k, const child_rows *ch);
/* A daily visit report: the visits, counts per purpose and outcome, expenses. */
json_t *render_visit_day(svc *s, const visit_day_report *d);

#endif
