#include "layers/io/incident_writer.hpp"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/base/error.hpp"
#include "core/geo/geometry.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/csv_writer.hpp"
#include "layers/io/gpkg_point_writer.hpp"

namespace hotspot::layers {

namespace {

std::string lower_ext(const std::filesystem::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e;
}

// "YYYY-MM" per month index, formatted once.
class MonthText {
 public:
  const std::string& operator()(core::MonthIndex m) {
    auto it = m_cache.find(m);
    if (it == m_cache.end()) it = m_cache.emplace(m, core::format_month(m)).first;
    return it->second;
  }

 private:
  std::unordered_map<core::MonthIndex, std::string> m_cache;
};

}  // namespace

// A format's writer, fed rows in pieces (the whole table, or chunks as they are read).
class IncidentSink {
 public:
  virtual ~IncidentSink() = default;
  virtual void write(const core::IncidentTable& rows) = 0;
  virtual std::vector<std::string> finish() = 0;  // the file is complete after this
};

namespace {

class CsvSink final : public IncidentSink {
 public:
  CsvSink(const std::filesystem::path& out, const core::Taxonomy& tax, std::span<const std::filesystem::path> inputs)
      : m_w(out, inputs), m_tax(tax) {
    m_w.row({"source", "line", "x", "y", "month", "date", "category", "area_code", "method", "score"});
  }
  void write(const core::IncidentTable& t) override {
    for (std::size_t i = 0; i < t.size(); ++i) {
      m_w.field(t.source_name(t.source()[i]));
      m_w.field(static_cast<uint64_t>(t.line()[i]));
      m_w.field(t.x_m()[i], 2);
      m_w.field(t.y_m()[i], 2);
      m_w.field(m_month(t.month()[i]));
      if (t.day()[i] == core::kNoDay) m_w.empty_field();
      else m_w.field(core::format_day(t.day()[i]));
      m_w.field(m_tax.get(t.category()[i]).name);
      m_w.field(t.area_codes().get(t.area()[i]));
      m_w.field(core::method_name(static_cast<core::GeocodeMethod>(t.method()[i])));
      m_w.field(static_cast<uint64_t>(t.score()[i]));
      m_w.end_row();
    }
  }
  std::vector<std::string> finish() override {
    m_w.commit();
    return {};
  }

 private:
  CsvWriter m_w;
  const core::Taxonomy& m_tax;
  MonthText m_month;
};

// Writes into a GeoPackage at `path` (the caller owns atomicity).
class GpkgSink final : public IncidentSink {
 public:
  GpkgSink(const std::filesystem::path& path, const core::Taxonomy& tax, const std::string& layer)
      : m_w(path, layer, core::kWorkingEpsg,
            {{"source", FieldType::text},
             {"line", FieldType::integer},
             {"month", FieldType::text},
             {"date", FieldType::text},
             {"category", FieldType::text},
             {"area_code", FieldType::text},
             {"method", FieldType::text},
             {"score", FieldType::integer}}),
        m_tax(tax) {}
  void write(const core::IncidentTable& t) override {
    std::string day;
    for (std::size_t i = 0; i < t.size(); ++i) {
      m_w.begin_row(t.x_m()[i], t.y_m()[i]);
      m_w.set(0, std::string_view(t.source_name(t.source()[i])));
      m_w.set(1, static_cast<int64_t>(t.line()[i]));
      m_w.set(2, std::string_view(m_month(t.month()[i])));
      if (t.day()[i] == core::kNoDay) {
        m_w.set_null(3);
      } else {
        day = core::format_day(t.day()[i]);
        m_w.set(3, std::string_view(day));
      }
      m_w.set(4, std::string_view(m_tax.get(t.category()[i]).name));
      const auto area = t.area()[i];
      if (area == StringPool::kEmpty) m_w.set_null(5);
      else m_w.set(5, t.area_codes().get(area));
      m_w.set(6, std::string_view(core::method_name(static_cast<core::GeocodeMethod>(t.method()[i]))));
      m_w.set(7, static_cast<int64_t>(t.score()[i]));
      m_w.end_row();
    }
  }
  std::vector<std::string> finish() override {
    m_w.finish();
    return m_w.warnings();
  }

 private:
  GpkgPointWriter m_w;
  const core::Taxonomy& m_tax;
  MonthText m_month;
};

// A GeoPackage sink on an AtomicOutput: complete file or nothing.
class AtomicGpkgSink final : public IncidentSink {
 public:
  AtomicGpkgSink(const std::filesystem::path& out, const core::Taxonomy& tax,
                 std::span<const std::filesystem::path> inputs, const std::string& layer)
      : m_atomic(out, inputs), m_sink(m_atomic.temp_path(), tax, layer) {}
  void write(const core::IncidentTable& t) override { m_sink.write(t); }
  std::vector<std::string> finish() override {
    auto w = m_sink.finish();
    m_atomic.commit();
    return w;
  }

 private:
  AtomicOutput m_atomic;  // declared first: removes the temporary after the sink closes it
  GpkgSink m_sink;
};

std::unique_ptr<IncidentSink> make_sink(const std::filesystem::path& out, const core::Taxonomy& tax,
                                        std::span<const std::filesystem::path> inputs,
                                        const IncidentWriteOptions& options) {
  const std::string ext = lower_ext(out);
  if (ext == ".csv") return std::make_unique<CsvSink>(out, tax, inputs);
  if (ext == ".gpkg") return std::make_unique<AtomicGpkgSink>(out, tax, inputs, options.layer);
  throw UsageError(out.string() + ": unknown output format '" + ext + "' (use .gpkg or .csv)");
}

}  // namespace

std::vector<std::string> add_incident_layer(const core::IncidentTable& t, const core::Taxonomy& tax,
                                            const std::filesystem::path& gpkg, const std::string& layer) {
  GpkgSink sink(gpkg, tax, layer);
  sink.write(t);
  return sink.finish();
}

std::vector<std::string> write_incidents(const core::IncidentTable& table, const core::Taxonomy& taxonomy,
                                         const std::filesystem::path& out, std::span<const std::filesystem::path> inputs,
                                         const IncidentWriteOptions& options) {
  auto sink = make_sink(out, taxonomy, inputs, options);
  sink->write(table);
  return sink->finish();
}

// [SECTION] IncidentStream ----------------------------------------------------------

struct IncidentStream::Impl {
  std::unique_ptr<IncidentSink> sink;
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<core::IncidentTable> queue;
  bool closing = false;
  std::exception_ptr error;
  std::thread thread;
  static constexpr std::size_t kMaxQueued = 8;

  void run() {
    for (;;) {
      core::IncidentTable rows;
      {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return !queue.empty() || closing; });
        if (queue.empty()) return;
        rows = std::move(queue.front());
        queue.pop_front();
      }
      cv.notify_all();
      try {
        sink->write(rows);
      } catch (...) {
        std::lock_guard lock(mutex);
        error = std::current_exception();
        queue.clear();
        closing = true;
        cv.notify_all();
        return;
      }
    }
  }
};

IncidentStream::IncidentStream(const std::filesystem::path& out, const core::Taxonomy& taxonomy,
                               std::span<const std::filesystem::path> inputs, const IncidentWriteOptions& options)
    : m_impl(std::make_unique<Impl>()) {
  m_impl->sink = make_sink(out, taxonomy, inputs, options);
  m_impl->thread = std::thread([impl = m_impl.get()] { impl->run(); });
}

IncidentStream::~IncidentStream() {
  if (m_impl && m_impl->thread.joinable()) {
    {
      std::lock_guard lock(m_impl->mutex);
      m_impl->closing = true;
      m_impl->queue.clear();
    }
    m_impl->cv.notify_all();
    m_impl->thread.join();
  }
  // Without finish() the sink is destroyed unfinished: the temporary file is removed.
}

void IncidentStream::push(const core::IncidentTable& rows) {
  std::unique_lock lock(m_impl->mutex);
  m_impl->cv.wait(lock, [&] { return m_impl->queue.size() < Impl::kMaxQueued || m_impl->error; });
  if (m_impl->error) std::rethrow_exception(m_impl->error);
  m_impl->queue.push_back(rows);
  m_impl->cv.notify_all();
}

std::vector<std::string> IncidentStream::finish() {
  {
    std::lock_guard lock(m_impl->mutex);
    m_impl->closing = true;
  }
  m_impl->cv.notify_all();
  m_impl->thread.join();
  if (m_impl->error) std::rethrow_exception(m_impl->error);
  return m_impl->sink->finish();
}

// [SECTION] RejectsWriter ----------------------------------------------------------

RejectsWriter::RejectsWriter(const std::filesystem::path& path, std::span<const std::filesystem::path> inputs)
    : m_csv(std::make_unique<CsvWriter>(path, inputs)) {
  m_csv->row({"source", "line", "column", "field", "code", "message", "raw"});
}

RejectsWriter::~RejectsWriter() = default;

void RejectsWriter::write(const core::RowIssue& issue) {
  if (issue.severity != core::Severity::error) return;
  m_csv->field(issue.source);
  m_csv->field(issue.line);
  if (issue.column) m_csv->field(static_cast<uint64_t>(issue.column));
  else m_csv->empty_field();
  m_csv->field(issue.field);
  m_csv->field(core::issue_code_name(issue.code));
  m_csv->field(issue.message);
  m_csv->field(issue.raw);
  m_csv->end_row();
  ++m_rows;
}

void RejectsWriter::commit() { m_csv->commit(); }

}  // namespace hotspot::layers
