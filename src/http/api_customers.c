/*
 * api_customers — /customers and /contacts.
 */
#include <string.h>

#include "http/http_int.h"
#include "service/render.h"

static json_t *customer_json(req *r, int64_t id, bool with_deleted, int64_t *version)
{
	kh_record c, *contacts;
	int n;
	if (svc_customer_get(&r->s, id, with_deleted, &c, &contacts, &n) < 0)
		return NULL;
	*version = c.v[F_VERSION].i;
	return render_customer(&r->s, &c, contacts, n);
}

void send_customer(req *r, int64_t id, int status, bool with_deleted)
{
	int64_t version;
	json_t *j = customer_json(r, id, with_deleted, &version);
	if (!j) {
		reply_error(r);
		return;
	}
	set_etag(r, version);
	if (status == 201)
		r->location = arena_printf(&r->a, "/api/v1/customers/%lld", (long long)id);
	reply(r, status, j);
}

void customer_change_failed(req *r, int64_t id, bool contact)
{
	if (r->err.code != KH_ECONFLICT) {
		reply_error(r);
		return;
	}
	kh_err saved = r->err;
	err_clear(&r->err);
	json_t *current = NULL;
	if (contact) {
		kh_record k;
		if (svc_contact_get(&r->s, id, &k) == 0)
			current = render_record(&r->s, &k);
	} else {
		int64_t v;
		current = customer_json(r, id, svc_can(&r->s, PERM_CUSTOMER_DELETE), &v);
	}
	r->err = saved;
	reply_conflict(r, current);
}

void h_customers_list(req *r)
{
	list_page p;
	if (svc_customer_list(&r->s, r->query, r->nquery, &p) < 0) {
		reply_error(r);
		return;
	}
	size_t len;
	char *text = render_page_text(&r->s, &p, &len);
	reply_raw(r, 200, text, len);
}

void h_customers_create(req *r)
{
	json_t *body = body_object(r);
	if (!body)
		return;
	static const char *const skip[] = {"contacts", NULL};
	kh_record c;
	record_from_json(&c, &customer_entity, body, skip, NULL, &r->a, &r->err);
	json_t *arr = json_object_get(body, "contacts");
	int n = 0;
	kh_record *contacts = NULL;
	if (arr && !json_is_array(arr)) {
		err_field(&r->err, "contacts", N_("Expected a list of contacts"));
	} else if (arr) {
		n = (int)json_array_size(arr);
		if (n > 20) {
			err_field(&r->err, "contacts", N_("At most %d contacts at once"), 20);
			n = 0;
		}
		contacts = arena_calloc(&r->a, (size_t)(n ? n : 1), sizeof(kh_record));
		for (int i = 0; i < n; i++)
			record_from_json(&contacts[i], &contact_entity,
			                 json_array_get(arr, (size_t)i), NULL,
			                 arena_printf(&r->a, "contacts[%d].", i), &r->a, &r->err);
	}
	json_decref(body);
	if (r->err.code != KH_OK) {
		reply_error(r);
		return;
	}
	int64_t id;
	if (svc_customer_create(&r->s, &c, contacts, n, &id) < 0) {
		reply_error(r);
		return;
	}
	send_customer(r, id, 201, false);
}

void h_customers_get(req *r)
{
	int64_t id;
	if (!path_id(r, 0, &id))
		return;
	bool deleted = false;
	const char *d = query(r, "deleted");
	if (d && !svc_parse_bool(d, &deleted)) {
		reply_fail(r, KH_EBADREQ, N_("deleted must be true or false"));
		return;
	}
	send_customer(r, id, 200, deleted);
}

void h_customers_patch(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	kh_record patch;
	if (!body_record(r, &customer_entity, NULL, NULL, &patch))
		return;
	if (svc_customer_update(&r->s, id, version, &patch) < 0) {
		customer_change_failed(r, id, false);
		return;
	}
	send_customer(r, id, 200, false);
}

void h_customers_delete(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	if (svc_customer_delete(&r->s, id, version) < 0) {
		customer_change_failed(r, id, false);
		return;
	}
	reply(r, 204, NULL);
}

void h_customers_restore(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	if (svc_customer_restore(&r->s, id, version) < 0) {
		customer_change_failed(r, id, false);
		return;
	}
	send_customer(r, id, 200, false);
}

static void archive(req *r, bool on)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	if (svc_customer_archive(&r->s, id, version, on) < 0) {
		customer_change_failed(r, id, false);
		return;
	}
	send_customer(r, id, 200, false);
}

void h_customers_archive(req *r)
{
	archive(r, true);
}

void h_customers_unarchive(req *r)
{
	archive(r, false);
}

/* ---- contacts ---- */

static void send_contact(req *r, int64_t id, int status)
{
	kh_record k;
	if (svc_contact_get(&r->s, id, &k) < 0) {
		reply_error(r);
		return;
	}
	set_etag(r, k.v[F_VERSION].i);
	if (status == 201)
		r->location = arena_printf(&r->a, "/api/v1/contacts/%lld", (long long)id);
	reply(r, status, render_record(&r->s, &k));
}

void h_contacts_list_of(req *r)
{
	int64_t id;
	if (!path_id(r, 0, &id))
		return;
	list_page p;
	if (svc_contact_list(&r->s, id, r->query, r->nquery, &p) < 0) {
		reply_error(r);
		return;
	}
	size_t len;
	char *text = render_page_text(&r->s, &p, &len);
	reply_raw(r, 200, text, len);
}

void h_contacts_list(req *r)
{
	list_page p;
	if (svc_contact_list(&r->s, 0, r->query, r->nquery, &p) < 0) {
		reply_error(r);
		return;
	}
	size_t len;
	char *text = render_page_text(&r->s, &p, &len);
	reply_raw(r, 200, text, len);
}

void h_contacts_create(req *r)
{
	int64_t customer;
	if (!path_id(r, 0, &customer))
		return;
	kh_record k;
	if (!body_record(r, &contact_entity, NULL, NULL, &k))
		return;
	int64_t id;
	if (svc_contact_create(&r->s, customer, &k, &id) < 0) {
		reply_error(r);
		return;
	}
	send_contact(r, id, 201);
}

void h_contacts_get(req *r)
{
	int64_t id;
	if (!path_id(r, 0, &id))
		return;
	send_contact(r, id, 200);
}

void h_contacts_patch(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	kh_record patch;
	if (!body_record(r, &contact_entity, NULL, NULL, &patch))
		return;
	if (svc_contact_update(&r->s, id, version, &patch) < 0) {
		customer_change_failed(r, id, true);
		return;
	}
	send_contact(r, id, 200);
}

void h_contacts_delete(req *r)
{
	int64_t id, version;
	if (!path_id(r, 0, &id) || !if_match(r, &version))
		return;
	if (svc_contact_delete(&r->s, id, version) < 0) {
		customer_change_failed(r, id, true);
		return;
	}
	reply(r, 204, NULL);
}
