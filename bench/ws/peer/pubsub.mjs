// bench/ws/peer/pubsub.mjs — an in-memory pub/sub for the graphql-ws peer:
// each subscription is an async iterator (what graphql-js's subscribe
// wants from a source stream) with its own queue, the pattern of
// graphql-ws's README and graphql-subscriptions' PubSub, without an
// EventEmitter in between.
export class PubSub {
  #topics = new Map(); // topic -> Set of push functions

  // An async iterator of the events published to topic from now on; its
  // return() (called when the subscription ends) unsubscribes it.
  subscribe(topic) {
    let subscribers = this.#topics.get(topic);
    if (!subscribers) this.#topics.set(topic, (subscribers = new Set()));
    const queue = [];
    let waiting = null;
    let done = false;
    const push = (value) => {
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ value, done: false });
      } else {
        queue.push(value);
      }
    };
    subscribers.add(push);
    const end = () => {
      if (done) return;
      done = true;
      subscribers.delete(push);
      if (subscribers.size === 0) this.#topics.delete(topic);
      queue.length = 0;
      if (waiting) waiting({ value: undefined, done: true });
      waiting = null;
    };
    return {
      next: () => {
        if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: () => {
        end();
        return Promise.resolve({ value: undefined, done: true });
      },
      throw: (error) => {
        end();
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  // Delivers event to every subscriber of topic; returns how many.
  publish(topic, event) {
    const subscribers = this.#topics.get(topic);
    if (!subscribers) return 0;
    for (const push of subscribers) push(event);
    return subscribers.size;
  }

  count(topic) {
    return this.#topics.get(topic)?.size ?? 0;
  }
}
