#pragma once
// The HDF5 files lokalmat writes (run files, sweep files) are built in memory with HDF5's core
// driver and no backing store, then written in one piece through results/output_file.h:
//   - HDF5 never writes to the disk itself, so a full disk or a read-only directory is our
//     own write() error with the file's name, after every HDF5 handle is closed (an HDF5 file
//     left open with unflushed data is what crashed the library at exit);
//   - a killed process leaves no half-written file (an interrupted run writes its .partial
//     the same way, whole);
//   - one function, write_image(), takes the complete bytes to the disk, and one,
//     file_creation_plist(), makes every file's creation property list.
// The memory held is the file's size (compressed chunks as stored) plus one copy while it
// is written. Internal to lokalmat::results; not installed.
#include <string>
#include <string_view>
#include <vector>

#include "results/h5_util.h"
#include "results/output_file.h"

namespace lokalmat::h5 {

// the file-creation property list of every HDF5 file lokalmat writes: with the seal's userblock
// (h5::sealed_file_creation(), results/file_seal.h)
Handle file_creation_plist();

class MemoryFile {
 public:
  // a new, empty file
  static MemoryFile create();
  // an existing file's bytes, opened for writing (`name` only for messages)
  static MemoryFile open(std::string_view bytes, const std::string& name);

  [[nodiscard]] hid_t get() const { return file_.get(); }
  // flush and copy out the file's bytes; close every dataset, group and attribute first
  [[nodiscard]] std::string image() const;
  // close the file, and with it any object still open in it (close degree "strong")
  void close();

 private:
  Handle file_;
};

// whether write_image seals the file (results/file_seal.h): every file lokalmat creates is; a file
// of an older lokalmat without the seal's userblock, changed and written back, cannot be
enum class Seal { yes, no };

// the step from a complete file's bytes to the file on disk (the rules of output_file.h), sealed
// first unless told not to
void write_image(const std::string& path, std::string image, const OutputRules& rules, Seal seal = Seal::yes);

}  // namespace lokalmat::h5
