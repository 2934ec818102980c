#pragma once
// The sweep journal: finished runs, appended one length-prefixed, CRC-checked record at a
// time and flushed at once, so a killed sweep loses only the runs in flight; `--resume`
// reads it back (results/sweep_store.h describes the sweep file written from it).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/sweep/sweep_record.h"

namespace lokalmat {

// Append-only journal of finished runs. File: magic "LOKALMAT-JOURNAL", u32 format
// version, u64 fingerprint, then per record [u32 length][payload][u32 CRC-32 of payload]
// (little-endian). A reader stops at the first record that is short or fails its CRC.
// One writer: the open journal holds an exclusive flock, so a second SweepJournal on the
// same file (in this or another process) throws instead of interleaving records. Calls
// on one object are not thread-safe (the driver appends from one thread).
class SweepJournal {
 public:
  // new journal (replaces any file at path, atomically) or, with resume, reopen an existing
  // one for appending after checking the fingerprint and cutting off a torn tail
  // (std::runtime_error: cannot create, missing, not a journal, another sweep's, in use)
  SweepJournal(std::string path, std::uint64_t fingerprint, bool resume);
  ~SweepJournal();
  SweepJournal(const SweepJournal&) = delete;
  SweepJournal& operator=(const SweepJournal&) = delete;
  void append(const RunRecord& r);   // written to the OS before it returns (survives kill -9)
  void sync();                       // fdatasync
  [[nodiscard]] const std::string& path() const { return path_; }

  struct Contents {
    std::uint64_t fingerprint = 0;
    std::vector<RunRecord> records;   // in file order; a torn or corrupt tail is dropped
    std::int64_t dropped_bytes = 0;   // how much of the tail was dropped
  };
  // throws std::runtime_error when the file is missing or not a journal
  static Contents read(const std::string& path);

 private:
  std::string path_;
  int fd_ = -1;
  std::int64_t end_ = 0;  // bytes of whole records (and header): a failed append is cut back to it
};

}  // namespace lokalmat
