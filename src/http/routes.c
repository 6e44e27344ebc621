/*
 * routes — every API path in one table. Adding an endpoint is one line
 * here and a handler in the resource's file.
 */
#include "http/http_int.h"

#define V1 "/api/v1"

const route routes[] = {
        {"GET", "/", h_index, ROUTE_PUBLIC, NULL},
        {"GET", V1 "/healthz", h_healthz, ROUTE_PUBLIC, NULL},
        {"GET", "/healthz", h_healthz, ROUTE_PUBLIC, NULL},
        {"POST", V1 "/auth/login", h_login, ROUTE_PUBLIC, NULL},
        {"POST", V1 "/auth/logout", h_logout, 0, NULL},
        {"GET", V1 "/auth/me", h_me, 0, NULL},
        {"GET", V1 "/auth/tokens", h_tokens_list, 0, NULL},
        {"POST", V1 "/auth/tokens", h_tokens_create, 0, NULL},
        {"DELETE", V1 "/auth/tokens/{id}", h_tokens_revoke, 0, NULL},

        /* exports before the {id} routes they would otherwise match */
        {"GET", V1 "/customers/export", h_export, 0, "customers"},
        {"GET", V1 "/contacts/export", h_export, 0, "contacts"},
        {"GET", V1 "/customers/{id}/contacts/export", h_export_of, 0, "contacts"},
#define EXPORTS(path)                                                                              \
	{"GET", V1 "/" path "/export", h_export, 0, path},                                         \
	{                                                                                          \
		"GET", V1 "/customers/{id}/" path "/export", h_export_of, 0, path                  \
	}
        EXPORTS("followups"),
        EXPORTS("orders"),
        EXPORTS("opportunities"),
        EXPORTS("tickets"),
        EXPORTS("visit-plans"),
        EXPORTS("visits"),
        EXPORTS("evaluations"),
        EXPORTS("countermeasures"),

        {"GET", V1 "/customers", h_customers_list, 0, NULL},
        {"POST", V1 "/customers", h_customers_create, 0, NULL},
        {"GET", V1 "/customers/{id}", h_customers_get, 0, NULL},
        {"PATCH", V1 "/customers/{id}", h_customers_patch, 0, NULL},
        {"DELETE", V1 "/customers/{id}", h_customers_delete, 0, NULL},
        {"POST", V1 "/customers/{id}/restore", h_customers_restore, 0, NULL},
        {"POST", V1 "/customers/{id}/archive", h_customers_archive, 0, NULL},
        {"POST", V1 "/customers/{id}/unarchive", h_customers_unarchive, 0, NULL},
        {"POST", V1 "/customers/{id}/claim", h_pool_claim, 0, NULL},
        {"POST", V1 "/customers/{id}/release", h_pool_release, 0, NULL},
        {"POST", V1 "/customers/{id}/assign", h_pool_assign, 0, NULL},
        {"POST", V1 "/customers/{id}/lock", h_pool_lock, 0, NULL},
        {"POST", V1 "/customers/{id}/unlock", h_pool_unlock, 0, NULL},
        {"GET", V1 "/pool/events", h_pool_events, 0, NULL},
        {"POST", V1 "/pool/sweep", h_pool_sweep, 0, NULL},
        {"GET", V1 "/archive/suggestions", h_archive_suggestions, 0, NULL},
        {"POST", V1 "/archive", h_archive_bulk, 0, NULL},
        {"GET", V1 "/duplicates", h_dup_find, 0, NULL},
        {"POST", V1 "/duplicates/merge", h_dup_merge, 0, NULL},
        {"GET", V1 "/duplicates/merges", h_merges_list, 0, NULL},
        {"GET", V1 "/duplicates/merges/{id}", h_merges_get, 0, NULL},
        {"POST", V1 "/duplicates/merges/{id}/undo", h_merges_undo, 0, NULL},
        {"GET", V1 "/customers/{id}/contacts", h_contacts_list_of, 0, NULL},
        {"POST", V1 "/customers/{id}/contacts", h_contacts_create, 0, NULL},
        {"GET", V1 "/contacts", h_contacts_list, 0, NULL},
        {"GET", V1 "/contacts/{id}", h_contacts_get, 0, NULL},
        {"PATCH", V1 "/contacts/{id}", h_contacts_patch, 0, NULL},
        {"DELETE", V1 "/contacts/{id}", h_contacts_delete, 0, NULL},

        {"GET", V1 "/dictionaries", h_dicts_list, 0, NULL},
        {"GET", V1 "/dictionaries/kinds", h_dict_kinds, 0, NULL},
        {"POST", V1 "/dictionaries", h_dicts_create, 0, NULL},
        {"GET", V1 "/dictionaries/{id}", h_dicts_get, 0, NULL},
        {"PATCH", V1 "/dictionaries/{id}", h_dicts_patch, 0, NULL},
        {"GET", V1 "/custom-fields", h_fields_list, 0, NULL},
        {"POST", V1 "/custom-fields", h_fields_create, 0, NULL},
        {"GET", V1 "/custom-fields/{id}", h_fields_get, 0, NULL},
        {"PATCH", V1 "/custom-fields/{id}", h_fields_patch, 0, NULL},
        {"GET", V1 "/users", h_users_list, 0, NULL},
        {"POST", V1 "/users", h_users_create, 0, NULL},
        {"GET", V1 "/users/{id}", h_users_get, 0, NULL},
        {"PATCH", V1 "/users/{id}", h_users_patch, 0, NULL},
        {"POST", V1 "/users/{id}/password", h_users_password, 0, NULL},
        {"GET", V1 "/departments", h_depts_list, 0, NULL},
        {"POST", V1 "/departments", h_depts_create, 0, NULL},
        {"GET", V1 "/departments/{id}", h_depts_get, 0, NULL},
        {"PATCH", V1 "/departments/{id}", h_depts_patch, 0, NULL},
        {"DELETE", V1 "/departments/{id}", h_depts_delete, 0, NULL},
        {"GET", V1 "/roles", h_roles_list, 0, NULL},
        {"PATCH", V1 "/roles/{code}", h_roles_patch, 0, NULL},
        {"GET", V1 "/audit", h_audit_list, 0, NULL},
        {"POST", V1 "/imports", h_imports_create, 0, NULL},
        {"GET", V1 "/imports", h_imports_list, 0, NULL},
        {"POST", V1 "/imports/{id}/undo", h_imports_undo, 0, NULL},
#define RECORDS(path, kind)                                                                        \
	{"GET", V1 "/" path, h_rec_list, 0, &kind}, {"POST", V1 "/" path, h_rec_create, 0, &kind}, \
	        {"GET", V1 "/" path "/{id}", h_rec_get, 0, &kind},                                 \
	        {"PATCH", V1 "/" path "/{id}", h_rec_patch, 0, &kind},                             \
	        {"DELETE", V1 "/" path "/{id}", h_rec_delete, 0, &kind},                           \
	        {"POST", V1 "/" path "/{id}/restore", h_rec_restore, 0, &kind},                    \
	        {"GET", V1 "/customers/{id}/" path, h_rec_list_of, 0, &kind},                      \
	{                                                                                          \
		"POST", V1 "/customers/{id}/" path, h_rec_create_of, 0, &kind                      \
	}
        RECORDS("followups", followup_kind),
        RECORDS("orders", order_kind),
        RECORDS("opportunities", opportunity_kind),
        {"GET", V1 "/opportunities/{id}/history", h_rec_history, 0, &opportunity_kind},
        {"POST", V1 "/opportunities/{id}/win", h_opportunity_win, 0, &opportunity_kind},
        RECORDS("tickets", ticket_kind),
        {"GET", V1 "/tickets/{id}/history", h_rec_history, 0, &ticket_kind},
        {"GET", V1 "/customers/{id}/timeline", h_customer_timeline, 0, NULL},
        RECORDS("visit-plans", visit_plan_kind),
        RECORDS("visits", visit_kind),
        {"GET", V1 "/visit-reports/daily", h_visit_day, 0, NULL},
        {"POST", V1 "/visit-reports/daily", h_visit_day_submit, 0, NULL},

        {"GET", V1 "/approval-chains", h_chains_list, 0, NULL},
        {"GET", V1 "/approval-chains/{type}", h_chain_get, 0, NULL},
        {"PUT", V1 "/approval-chains/{type}", h_chain_put, 0, NULL},
        {"GET", V1 "/requests", h_requests_list, 0, NULL},
        {"POST", V1 "/requests", h_requests_create, 0, NULL},
        {"GET", V1 "/requests/{id}", h_request_get, 0, NULL},
        {"PATCH", V1 "/requests/{id}", h_request_patch, 0, NULL},
        {"POST", V1 "/requests/{id}/submit", h_request_submit, 0, NULL},
        {"POST", V1 "/requests/{id}/withdraw", h_request_withdraw, 0, NULL},
        {"DELETE", V1 "/requests/{id}", h_request_delete, 0, NULL},
        {"POST", V1 "/requests/{id}/restore", h_request_restore, 0, NULL},
        {"POST", V1 "/requests/{id}/approve", h_request_approve, 0, NULL},
        {"POST", V1 "/requests/{id}/reject", h_request_reject, 0, NULL},
        {"GET", V1 "/approvals/inbox", h_approvals_inbox, 0, NULL},
        {"GET", V1 "/reports/request-budget", h_request_budget, 0, NULL},
        RECORDS("countermeasures", countermeasure_kind),
        /* evaluations: read, listed, deleted as any record kind; written with their scores */
        {"GET", V1 "/evaluations", h_rec_list, 0, &evaluation_kind},
        {"POST", V1 "/evaluations", h_eval_create, 0, &evaluation_kind},
        {"GET", V1 "/evaluations/{id}", h_eval_get, 0, &evaluation_kind},
        {"PATCH", V1 "/evaluations/{id}", h_eval_patch, 0, &evaluation_kind},
        {"DELETE", V1 "/evaluations/{id}", h_rec_delete, 0, &evaluation_kind},
        {"POST", V1 "/evaluations/{id}/restore", h_eval_restore, 0, &evaluation_kind},
        {"GET", V1 "/customers/{id}/evaluations", h_rec_list_of, 0, &evaluation_kind},
        {"POST", V1 "/customers/{id}/evaluations", h_eval_create_of, 0, &evaluation_kind},
        {"GET", V1 "/evaluation-indicators", h_indicators_list, 0, NULL},
        {"POST", V1 "/evaluation-indicators", h_indicators_create, 0, NULL},
        {"GET", V1 "/evaluation-indicators/{id}", h_indicators_get, 0, NULL},
        {"PATCH", V1 "/evaluation-indicators/{id}", h_indicators_patch, 0, NULL},

        {"GET", V1 "/settings", h_settings_get, 0, NULL},
        {"PATCH", V1 "/settings", h_settings_patch, 0, NULL},
};

const int route_count = (int)(sizeof(routes) / sizeof(routes[0]));
