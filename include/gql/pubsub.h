/* include/gql/pubsub.h — topics that subscriptions listen to and that
 * anything may publish into.
 *
 * A gql_pubsub connects publishers (mutation resolvers, REST routes,
 * application threads) to subscriptions: a subscription field's
 * subscriber (builder.h) calls gql_pubsub_subscribe to make its source
 * stream listen to a topic, and every event published to the topic then
 * becomes one execution of the subscription with the event as its root
 * value.
 *
 *   gql_pubsub *ps;  gql_pubsub_new(&ps);
 *
 *   static gql_value subscribe_message_added(gql_info *info, gql_value parent)
 *   {
 *       return gql_pubsub_subscribe(info, gql_info_data(info), "messageAdded", NULL, NULL);
 *   }
 *   gql_schema_builder_subscriber(b, "Subscription.messageAdded",
 *                                 subscribe_message_added, ps);
 *
 *   const char *event = "{\"messageAdded\":{\"text\":\"hi\"}}";
 *   gql_pubsub_publish(ps, "messageAdded", event, strlen(event), NULL);
 *
 * Delivery: publishing is safe from any thread and never waits for
 * subscribers. Each subscriber receives the events of a topic in the
 * order they were published (publishers racing on two threads are
 * ordered as they took the topic), on the thread that owns its
 * subscription: for the server's WebSocket operations, the event loop of
 * the connection, reached with one wake-up per loop and publish, however
 * many subscribers that loop has. A subscription started by the
 * application with gql_subscribe outside the server receives events on
 * the publishing thread, synchronously: its topics must then be
 * published to from one thread at a time (the one that owns it).
 *
 * Events are immutable JSON values shared by every subscriber; they are
 * released when the last subscriber's response to them is. */
#ifndef GQL_PUBSUB_H
#define GQL_PUBSUB_H

#include <stddef.h>

#include "gql/common.h"
#include "gql/json.h"
#include "gql/resolve.h"
#include "gql/value.h"

GQL_BEGIN_DECLS

typedef struct gql_pubsub gql_pubsub;

/* Creates an empty pub/sub. Returns GQL_OK or GQL_ENOMEM. */
GQL_EXTERN int gql_pubsub_new(gql_pubsub **out);

/* Releases a pub/sub. No subscription may still listen to it: free it
 * after the server that serves its subscriptions (gql_server_free) and
 * after ending the application's own subscriptions. NULL does nothing. */
GQL_EXTERN void gql_pubsub_free(gql_pubsub *ps);

/* Publishes an event to topic (a NUL-terminated name): the JSON text
 * json[0..len), parsed and kept by the pub/sub,
 * so the caller's text may go at once. Returns GQL_OK, GQL_EJSON or
 * GQL_ELIMIT (the text is not JSON, or too deep or too long), GQL_ENOMEM,
 * or GQL_EINVAL (ps or topic NULL). When subscribers is not NULL it
 * receives how many subscriptions listened to the topic at that moment
 * (each gets the event unless its filter refuses it). Thread-safe. */
GQL_EXTERN int gql_pubsub_publish(gql_pubsub *ps, const char *topic, const char *json, size_t len,
                                  size_t *subscribers);

/* Publishes a parsed JSON value (copied), as gql_pubsub_publish. */
GQL_EXTERN int gql_pubsub_publish_json(gql_pubsub *ps, const char *topic, const gql_json *event,
                                       size_t *subscribers);

/* Reports an error of the topic's source to its subscribers (a feed that
 * broke): each subscription gets an error event (gql_stream_error) with
 * message, which the WebSocket server handles as
 * gql_websocket_opts.disconnect_after_error_event says. Filters are not
 * consulted. Same results as gql_pubsub_publish. */
GQL_EXTERN int gql_pubsub_publish_error(gql_pubsub *ps, const char *topic, const char *message,
                                        size_t *subscribers);

/* Number of subscriptions listening to topic now. Thread-safe. */
GQL_EXTERN size_t gql_pubsub_subscriber_count(gql_pubsub *ps, const char *topic);

/* Decides whether one subscription receives one event: returns nonzero
 * to deliver it. event is the published value; args are the subscription
 * field's coerced arguments (an object, never NULL), as gql_args gave
 * them when the subscription started. Runs on the subscription's thread;
 * data is what was given to gql_pubsub_subscribe. */
typedef int (*gql_pubsub_filter_fn)(const gql_json *event, const gql_json *args, void *data);

/* For a subscriber (builder.h): makes the subscription's source stream
 * listen to topic (copied) and returns the value the subscriber returns.
 * filter may be NULL (every event is delivered). The subscription stops
 * listening when it ends. Returns an error value (the field fails) when
 * memory runs out or an argument is NULL. */
GQL_EXTERN gql_value gql_pubsub_subscribe(gql_info *info, gql_pubsub *ps, const char *topic,
                                          gql_pubsub_filter_fn filter, void *data);

GQL_END_DECLS

#endif
