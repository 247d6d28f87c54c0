/* SPDX-License-Identifier: MIT */
/*
 * Doubly linked lists of struct pa_list (Linux's list_head), with the
 * annotated accesses the unlocked list-empty peeks need.
 */
#ifndef PA_LIST_H
#define PA_LIST_H

#include <pagealloc/types.h>
#include "compiler.h"

static inline void pa_list_init(struct pa_list *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool pa_list_empty(const struct pa_list *head)
{
	return PA_READ_ONCE(head->next) == head;
}

static inline void pa_list_add_between(struct pa_list *n, struct pa_list *prev, struct pa_list *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	PA_WRITE_ONCE(prev->next, n);
}

static inline void pa_list_add(struct pa_list *n, struct pa_list *head)
{
	pa_list_add_between(n, head, head->next);
}

static inline void pa_list_add_tail(struct pa_list *n, struct pa_list *head)
{
	pa_list_add_between(n, head->prev, head);
}

/*
 * After an unlink, @n's own pointers are left as they were (the next owner
 * of the entry rewrites them) except with CONFIG_PA_DEBUG_VM, which clears
 * them, as Linux's list poisoning, so that a use after the unlink faults.
 */
static inline void pa_list_poison(struct pa_list *n)
{
	if (IS_ENABLED(CONFIG_PA_DEBUG_VM)) {
		n->next = NULL;
		n->prev = NULL;
	}
}

/* Unlink @n. */
static inline void pa_list_del(struct pa_list *n)
{
	n->next->prev = n->prev;
	PA_WRITE_ONCE(n->prev->next, n->next);
	pa_list_poison(n);
}

/* pa_list_del() of @first, known to be @head's first entry: its prev is @head. */
static inline void pa_list_del_first(struct pa_list *head, struct pa_list *first)
{
	PA_BUG_ON(first->prev != head || head->next != first);
	first->next->prev = head;
	PA_WRITE_ONCE(head->next, first->next);
	pa_list_poison(first);
}

#define pa_lru_to_page(l) ((struct pa_page *)((char *)(l) - offsetof(struct pa_page, lru)))

#endif /* PA_LIST_H */
