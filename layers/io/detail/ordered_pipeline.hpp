#pragma once
// run_ordered(): produce work items on the calling thread, process them on worker
// threads, consume the results on the calling thread in production order. Output is
// therefore identical for any thread count (deterministic ingest), and at most
// `max_in_flight` items exist at once (bounded memory).
//
//   run_ordered<Chunk, Part>(threads, 2 * threads + 2,
//       [&](Chunk& c) { return chunker.next(c); },        // false = no more input
//       [&](Chunk& c, Part& p, unsigned worker) { ... },  // on a worker thread
//       [&](Part& p) { table.append(p.table); });         // in order
//
// An exception thrown by a worker (or by produce/consume) stops the pipeline and is
// rethrown on the calling thread. threads <= 1 runs everything inline.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace hotspot::layers::detail {

template <typename In, typename Out>
void run_ordered(unsigned threads, std::size_t max_in_flight, const std::function<bool(In&)>& produce,
                 const std::function<void(In&, Out&, unsigned)>& work,
                 const std::function<void(Out&)>& consume) {
  if (threads <= 1) {
    In in;
    while (produce(in)) {
      Out out;
      work(in, out, 0);
      consume(out);
    }
    return;
  }
  if (max_in_flight < threads) max_in_flight = threads;

  std::mutex mutex;
  std::condition_variable cv_work;  // workers wait for input
  std::condition_variable cv_done;  // the caller waits for results
  std::deque<std::pair<uint64_t, In>> pending;
  std::map<uint64_t, Out> results;
  bool closed = false;
  std::exception_ptr failure;

  auto worker = [&](unsigned id) {
    for (;;) {
      std::pair<uint64_t, In> item;
      {
        std::unique_lock lock(mutex);
        cv_work.wait(lock, [&] { return !pending.empty() || closed || failure; });
        if (failure || (pending.empty() && closed)) return;
        item = std::move(pending.front());
        pending.pop_front();
      }
      Out out;
      try {
        work(item.second, out, id);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        cv_done.notify_all();
        cv_work.notify_all();
        return;
      }
      {
        std::lock_guard lock(mutex);
        results.emplace(item.first, std::move(out));
      }
      cv_done.notify_all();
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) pool.emplace_back(worker, i);

  uint64_t produced = 0, consumed = 0;
  auto consume_ready = [&](bool wait_for_one) {
    for (;;) {
      Out out;
      {
        std::unique_lock lock(mutex);
        if (wait_for_one)
          cv_done.wait(lock, [&] { return failure || results.count(consumed) > 0; });
        if (failure) return;
        auto it = results.find(consumed);
        if (it == results.end()) return;
        out = std::move(it->second);
        results.erase(it);
      }
      consume(out);
      ++consumed;
      wait_for_one = false;
    }
  };

  auto stop = [&] {
    {
      std::lock_guard lock(mutex);
      closed = true;
    }
    cv_work.notify_all();
    for (auto& t : pool) t.join();
  };

  try {
    for (;;) {
      In in;
      if (!produce(in)) break;
      {
        std::lock_guard lock(mutex);
        if (failure) break;
        pending.emplace_back(produced++, std::move(in));
      }
      cv_work.notify_one();
      consume_ready(produced - consumed >= max_in_flight);
    }
    while (consumed < produced) {
      consume_ready(true);
      std::lock_guard lock(mutex);
      if (failure) break;
    }
  } catch (...) {
    {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
    }
    stop();
    std::rethrow_exception(failure);
  }
  stop();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace hotspot::layers::detail
