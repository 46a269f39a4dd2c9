/* examples/chat/event.h — messages as pub/sub events.
 *
 * A mutation publishes the message it added or deleted as a JSON object
 * {"id","content","fromId","displayName","sentAt"}; each subscription
 * reads it back into a chat_message for the Message resolvers. */
#ifndef CHAT_EVENT_H
#define CHAT_EVENT_H

#include <gql/json.h>

#include "model.h"

/* The event of message m as JSON text in a block from malloc (the caller
 * frees it), its length in *len; NULL when memory runs out. */
char *chat_event_json(const chat_message *m, size_t *len);

/* The message an event carries, its strings pointing into the event;
 * NULL when memory runs out or the event is not one of ours. */
chat_message *chat_event_message(const gql_json *event, chat_alloc a);

/* A pub/sub filter (gql_pubsub_filter_fn): lets an event through when the
 * subscription's fromId argument is absent or null, or names the event's
 * sender. */
int chat_event_filter(const gql_json *event, const gql_json *args, void *data);

#endif
