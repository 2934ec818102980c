#pragma once
// Every file lokalmat writes goes through here, so one set of rules holds for all of them
// (run and sweep files, the sweep journal, HTML reports, CSV files, the viewer's saves):
//   - the target is named: an empty name, a missing directory or a directory in its place is
//     refused (only a command's default output may create its one directory, out/);
//   - an existing target is replaced only when asked (--force), and never when it is one of
//     the command's inputs (same inode, whatever the path says);
//   - the bytes go to a temporary created exclusively next to the target (Linux O_TMPFILE,
//     which has no name until it is complete, else O_CREAT | O_EXCL | O_NOFOLLOW under a
//     fresh name; mode 0644 less the umask), are fsynced and then renamed over the target,
//     so a symlink planted at the target or the temporary's name is replaced, never followed,
//     and a reader sees the old file or the whole new one;
//   - on any error the temporary is removed and the message names the target and the
//     system's reason.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lokalmat {

// an output that cannot be written as asked (it exists and --force was not given, it is an
// input, its directory is missing, its name is empty): bad input, exit 2. A failure while
// writing (a full disk, no permission) is a plain std::runtime_error: exit 1.
class OutputRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OutputRules {
  bool force = false;               // replace an existing file
  std::vector<std::string> inputs;  // the files the command reads: never replaced, even with force
  bool create_directory = false;    // create the target's directory (not its parents): default outputs only
};

// the checks alone, before a long computation: throws OutputRefused
void check_output_target(const std::string& path, const OutputRules& rules);

// one output file being written
class OutputFile {
 public:
  // checks the target (check_output_target), then creates the temporary
  OutputFile(std::string path, const OutputRules& rules);
  ~OutputFile();  // not committed: the temporary is removed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes);  // buffered; throws std::runtime_error naming the target
  // flush, fsync and move into place; without force a file that appeared at the target in the
  // meantime is not replaced (OutputRefused). The descriptor stays open until destruction.
  void commit();
  // the open descriptor of the committed file, handed over (the caller closes it)
  int release_fd();
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] int fd() const { return fd_; }  // e.g. to lock the file before it has its name

 private:
  void write_all(std::string_view bytes);
  void flush_buffer();
  void discard() noexcept;
  [[noreturn]] void fail(const char* what, int err);

  std::string path_;
  bool force_ = false;
  int fd_ = -1;
  std::string temp_;        // the temporary's name ("" while it is an unnamed O_TMPFILE)
  std::string buffer_;
  bool committed_ = false;
};

// the whole file at once
void write_output_file(const std::string& path, std::string_view bytes, const OutputRules& rules);

}  // namespace lokalmat
