#include "results/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <random>
#include <utility>

namespace lokalmat {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kBufferBytes = 1 << 20;  // writes are gathered to this size
constexpr std::size_t kNameMax = NAME_MAX;     // bytes of one file name (Linux file systems: 255)

std::string directory_of(const std::string& path) {
  const fs::path dir = fs::path(path).parent_path();
  return dir.empty() ? std::string(".") : dir.string();
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

// a fresh name next to the target for a temporary: TARGET.tmp-XXXXXX (the target's name cut
// so that the whole stays within one file name's limit)
std::string temp_name(const std::string& path) {
  static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}() ^ static_cast<std::uint64_t>(::getpid())};
  const fs::path p(path);
  std::string name = p.filename().string();
  name.resize(std::min(name.size(), kNameMax - 16));
  name += ".tmp-";
  for (int i = 0; i < 6; ++i) name += kChars[rng() % (sizeof kChars - 1)];
  return (p.parent_path() / name).string();
}

// make a rename durable: the new directory entry is written when the directory is synced
void sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string refused_exists(const std::string& path) {
  return fmt::format("output file '{}' exists; use --force to replace it", path);
}

// an existing target: never an input, never a directory or a device, replaced only with force
void check_existing(const std::string& path, const struct stat& link, const OutputRules& rules) {
  struct stat target {};
  const bool resolves = ::stat(path.c_str(), &target) == 0;
  if (resolves && S_ISDIR(target.st_mode))
    throw OutputRefused(fmt::format("output '{}' is a directory; name a file", path));
  // a device, a pipe or a socket is not replaced by a file (a symlink is: the link, not what it names)
  if (!S_ISREG(link.st_mode) && !S_ISLNK(link.st_mode))
    throw OutputRefused(fmt::format("output '{}' is not a regular file; name a file", path));
  for (const std::string& input : rules.inputs) {
    struct stat in {};
    if (::stat(input.c_str(), &in) == 0 && (same_file(in, link) || (resolves && same_file(in, target))))
      throw OutputRefused(fmt::format("output '{}' is the input '{}' of this command; write the output elsewhere "
                                      "(an input is never replaced, not even with --force)",
                                      path, input));
  }
  if (!rules.force) throw OutputRefused(refused_exists(path));
}

}  // namespace

void check_output_target(const std::string& path, const OutputRules& rules) {
  if (path.empty()) throw OutputRefused("the output file name is empty; name a file");
  const std::string name = fs::path(path).filename().string();
  if (name.empty() || name == "." || name == "..")
    throw OutputRefused(fmt::format("output '{}' names a directory; name a file", path));
  if (name.size() > kNameMax)
    throw OutputRefused(fmt::format("output '{}': the file name has {} bytes; the limit is {}", path, name.size(), kNameMax));

  // the directory must be there (only a default output creates its one directory, e.g. out/)
  const std::string dir = directory_of(path);
  struct stat ds {};
  if (::stat(dir.c_str(), &ds) != 0) {
    const int err = errno;
    if (err == ENOENT && rules.create_directory) {
      if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
        if (errno == ENOENT || errno == ENOTDIR)  // one directory only, never a tree
          throw OutputRefused(fmt::format("output '{}': the directory '{}' does not exist", path, directory_of(dir)));
        throw std::runtime_error(fmt::format("cannot create the directory '{}' for '{}': {}", dir, path, std::strerror(errno)));
      }
    } else if (err == ENOENT || err == ENOTDIR) {
      throw OutputRefused(fmt::format("output '{}': the directory '{}' does not exist", path, dir));
    } else {
      throw std::runtime_error(fmt::format("cannot write '{}': directory '{}': {}", path, dir, std::strerror(err)));
    }
  } else if (!S_ISDIR(ds.st_mode)) {
    throw OutputRefused(fmt::format("output '{}': '{}' is not a directory", path, dir));
  }

  struct stat link {};
  if (::lstat(path.c_str(), &link) == 0) check_existing(path, link, rules);
  // a directory we may not write into fails now, before any work (exit 1: not the user's typing)
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw std::runtime_error(fmt::format("cannot write '{}': directory '{}': {}", path, dir, std::strerror(errno)));
}


OutputFile::OutputFile(std::string path, const OutputRules& rules) : path_(std::move(path)), force_(rules.force) {
  check_output_target(path_, rules);
  const std::string dir = directory_of(path_);
  // an unnamed file in the target's directory, linked in when complete (needs /proc for linkat)
  if (::access("/proc/self/fd", X_OK) == 0) {
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd_ >= 0) return;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) fail("cannot create a file for", errno);
  }
  // a file system without O_TMPFILE: a new name, created exclusively, never through a symlink
  for (int attempt = 0;; ++attempt) {
    temp_ = temp_name(path_);
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ >= 0) return;
    const int err = errno;
    temp_.clear();
    if (err != EEXIST || attempt >= 100) fail("cannot create a file for", err);
  }
}

OutputFile::~OutputFile() {
  if (!committed_) discard();
  else if (fd_ >= 0) ::close(fd_);
}

void OutputFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
  buffer_.clear();
}

void OutputFile::fail(const char* what, int err) {
  discard();
  throw std::runtime_error(fmt::format("{} '{}': {}", what, path_, std::strerror(err)));
}

void OutputFile::write_all(std::string_view rest) {
  while (!rest.empty()) {
    const ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", errno);
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

void OutputFile::flush_buffer() {
  write_all(buffer_);
  buffer_.clear();
}

void OutputFile::write(std::string_view bytes) {
  if (committed_ || fd_ < 0) throw std::logic_error("OutputFile::write after commit");
  if (buffer_.size() + bytes.size() < kBufferBytes) {
    buffer_.append(bytes);
    return;
  }
  flush_buffer();
  write_all(bytes);  // large pieces go straight to the file, not through the buffer
}

void OutputFile::commit() {
  if (committed_ || fd_ < 0) throw std::logic_error("OutputFile::commit twice");
  flush_buffer();
  if (::fsync(fd_) != 0) fail("cannot write", errno);
  if (temp_.empty()) {
    // the unnamed file gets the target's name: linkat does not replace, so without force it is
    // the name itself; with force a fresh name first, then rename() replaces atomically
    const std::string proc = fmt::format("/proc/self/fd/{}", fd_);
    if (!force_) {
      if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, path_.c_str(), AT_SYMLINK_FOLLOW) != 0) {
        const int err = errno;
        if (err == EEXIST) {
          discard();
          throw OutputRefused(refused_exists(path_));
        }
        fail("cannot write", err);
      }
    } else {
      for (int attempt = 0;; ++attempt) {
        temp_ = temp_name(path_);
        if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, temp_.c_str(), AT_SYMLINK_FOLLOW) == 0) break;
        const int err = errno;
        temp_.clear();
        if (err != EEXIST || attempt >= 100) fail("cannot write", err);
      }
      if (::rename(temp_.c_str(), path_.c_str()) != 0) fail("cannot write", errno);
    }
  } else if (!force_) {
    // never replace a file that appeared at the target since the check
    if (::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE) != 0) {
      int err = errno;
      if (err == EINVAL || err == ENOSYS) {  // a file system without RENAME_NOREPLACE: link, then unlink
        err = ::link(temp_.c_str(), path_.c_str()) == 0 ? 0 : errno;
        if (err == 0) ::unlink(temp_.c_str());
      }
      if (err == EEXIST) {
        discard();
        throw OutputRefused(refused_exists(path_));
      }
      if (err != 0) fail("cannot write", err);
    }
  } else if (::rename(temp_.c_str(), path_.c_str()) != 0) {
    fail("cannot write", errno);
  }
  temp_.clear();
  committed_ = true;
  sync_directory(directory_of(path_));
}

int OutputFile::release_fd() {
  if (!committed_) throw std::logic_error("OutputFile::release_fd before commit");
  return std::exchange(fd_, -1);
}

void write_output_file(const std::string& path, std::string_view bytes, const OutputRules& rules) {
  OutputFile out(path, rules);
  out.write(bytes);
  out.commit();
}

}  // namespace lokalmat
