#include "results/sweep_journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "results/output_file.h"
#include "sim/sweep/byte_codec.h"

namespace lokalmat {

namespace {

namespace fs = std::filesystem;
using bytes::ByteReader;
using bytes::ByteWriter;
using bytes::count32;

// CRC-32 as in zlib, gzip and PNG (reflected polynomial 0xEDB88320), one table lookup a byte
constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1U) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr std::array<std::uint32_t, 256> kCrcTable = make_crc_table();

std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t c = 0xFFFFFFFFU;
  for (char ch : bytes) c = kCrcTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

// ---- the journal file -----------------------------------------------------------------

constexpr std::string_view kJournalMagic = "LOKALMAT-JOURNAL";
constexpr std::uint32_t kJournalVersion = 1;
constexpr std::size_t kJournalHeaderBytes = kJournalMagic.size() + 4 + 8;  // magic, version, fingerprint

std::string system_error_text(const std::string& what, const std::string& path, int err) {
  return what + " '" + path + "': " + std::strerror(err);
}

// a file descriptor closed on scope exit unless released (so a throwing constructor leaks none)
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      close_now();
      fd_ = o.release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { close_now(); }
  [[nodiscard]] int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  void close_now() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_;
};

// all of bytes, across partial writes and signals; false with errno set on an error
bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// one writer per journal: a second one would interleave its records with ours
void lock_exclusive(int fd, const std::string& path) {
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK)
      throw std::runtime_error("journal '" + path + "' is in use by another lokalmat sweep (or another journal object)");
    return;  // a file system without locks: go on unguarded rather than refuse to run
  }
}

std::string read_whole_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(system_error_text(std::string("cannot open the ") + what, path, errno));
  in.seekg(0, std::ios::end);
  std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw std::runtime_error(std::string("cannot read the ") + what + " '" + path + "'");
  return bytes;
}

std::string journal_header(std::uint64_t fingerprint) {
  ByteWriter w;
  w.bytes(kJournalMagic);
  w.u32(kJournalVersion);
  w.u64(fingerprint);
  return w.data();
}

struct ParsedJournal {
  SweepJournal::Contents contents;
  std::int64_t good_bytes = 0;  // header and whole records: where the next record goes
};

// the header, then records until the end or the first one that is short, fails its CRC
// or does not decode: a crash can only tear the last record, so nothing after it is trusted
ParsedJournal parse_journal(std::string_view bytes, const std::string& path) {
  if (bytes.size() < kJournalHeaderBytes || bytes.substr(0, kJournalMagic.size()) != kJournalMagic)
    throw std::runtime_error("'" + path + "' is not a sweep journal");
  ByteReader in(bytes, "journal '" + path + "'");
  in.take(kJournalMagic.size());
  if (const std::uint32_t version = in.u32(); version != kJournalVersion)
    throw std::runtime_error("journal '" + path + "' has format version " + std::to_string(version) +
                             "; this program reads version " + std::to_string(kJournalVersion));
  ParsedJournal j;
  j.contents.fingerprint = in.u64();
  std::size_t good = in.position();
  while (in.remaining() >= 8) {
    const std::uint32_t length = in.u32();
    if (length > in.remaining() - 4) break;
    const std::string_view payload = in.take(length);
    if (in.u32() != crc32(payload)) break;
    try {
      j.contents.records.push_back(decode_record(payload));
    } catch (const std::runtime_error&) {
      break;
    }
    good = in.position();
  }
  j.good_bytes = static_cast<std::int64_t>(good);
  j.contents.dropped_bytes = static_cast<std::int64_t>(bytes.size() - good);
  return j;
}

}  // namespace

// ---- journal --------------------------------------------------------------------------

SweepJournal::SweepJournal(std::string path, std::uint64_t fingerprint, bool resume) : path_(std::move(path)) {
  UniqueFd fd;
  if (resume) {
    fd = UniqueFd(::open(path_.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) throw std::runtime_error(system_error_text("cannot open the journal", path_, errno));
    lock_exclusive(fd.get(), path_);
    // read under the lock: no other writer can be half-way through a record
    const ParsedJournal j = parse_journal(read_whole_file(path_, "journal"), path_);
    if (j.contents.fingerprint != fingerprint) {
      char ids[64];
      std::snprintf(ids, sizeof ids, "%016llx, this sweep %016llx",
                    static_cast<unsigned long long>(j.contents.fingerprint),
                    static_cast<unsigned long long>(fingerprint));
      throw std::runtime_error("journal '" + path_ + "' belongs to a different sweep definition (fingerprint " + ids +
                               ")");
    }
    // cut off a torn tail, so the records appended now follow the last good one
    if (j.contents.dropped_bytes > 0 && (::ftruncate(fd.get(), j.good_bytes) != 0 || ::fdatasync(fd.get()) != 0))
      throw std::runtime_error(system_error_text("cannot cut the torn tail off the journal", path_, errno));
    end_ = j.good_bytes;
  } else {
    // never replace a journal that another sweep is still writing
    if (const UniqueFd old(::open(path_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)); old.get() >= 0)
      lock_exclusive(old.get(), path_);
    // the header goes to a new file renamed into place, so a journal never lacks its header
    // (results/output_file.h: created exclusively, never through a symlink); the sweep
    // command decided already that an old journal may go
    OutputFile out(path_, OutputRules{.force = true, .inputs = {}});
    lock_exclusive(out.fd(), path_);  // before it has its name: no other writer gets in first
    const std::string header = journal_header(fingerprint);
    out.write(header);
    out.commit();
    fd = UniqueFd(out.release_fd());
    // appends from now on (a descriptor of a new file may be switched to O_APPEND)
    if (const int flags = ::fcntl(fd.get(), F_GETFL); flags < 0 || ::fcntl(fd.get(), F_SETFL, flags | O_APPEND) != 0)
      throw std::runtime_error(system_error_text("cannot open the journal", path_, errno));
    end_ = static_cast<std::int64_t>(header.size());
  }
  fd_ = fd.release();
}

SweepJournal::~SweepJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void SweepJournal::append(const RunRecord& r) {
  const std::string payload = encode_record(r);
  ByteWriter w;
  w.u32(count32(payload.size(), "journal record"));
  w.bytes(payload);
  w.u32(crc32(payload));
  // one write (looped only when the kernel takes part of it); the page cache then holds
  // it, so only a power loss, not a killed process, can lose it (sync() covers that)
  if (!write_all(fd_, w.data())) {
    const int err = errno;
    // cut a partly written record off: left there it would hide every record appended after it
    const bool cut = ::ftruncate(fd_, end_) == 0;
    throw std::runtime_error(system_error_text("cannot append to the journal", path_, err) +
                             (cut ? "" : " (and a torn record is left at its end)"));
  }
  end_ += static_cast<std::int64_t>(w.data().size());
}

void SweepJournal::sync() {
  if (::fdatasync(fd_) != 0) throw std::runtime_error(system_error_text("cannot sync the journal", path_, errno));
}

SweepJournal::Contents SweepJournal::read(const std::string& path) {
  if (!fs::exists(path)) throw std::runtime_error("no journal '" + path + "'");
  return parse_journal(read_whole_file(path, "journal"), path).contents;
}

}  // namespace lokalmat
