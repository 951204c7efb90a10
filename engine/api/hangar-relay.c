/* hangar-relay.c: two byte streams joined, for consoles and engines over SSH
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * `hangar-engine --stdio` relays an SSH pipe to the running engine's socket,
 * `hangar-engine --console` and `hangarctl console` a console to a terminal or a pipe.
 */
#define G_LOG_DOMAIN "hangar-api"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hangar-relay.h"

/* Writes all of @length bytes; FALSE when the other end is gone. */
static gboolean
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

/**
 * hangar_relay:
 *
 * Copies @in_fd to @peer_fd and @peer_fd to @out_fd until @peer_fd ends, or until
 * @in_fd ends and then @peer_fd (its write side is shut down, so the far end sees the
 * end too). SIGPIPE must be ignored: a vanished reader ends the relay quietly.
 */
gboolean
hangar_relay (int       in_fd,
              int       out_fd,
              int       peer_fd,
              GError  **error)
{
  char buffer[65536];
  gboolean input_open = TRUE;

  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = peer_fd, .events = POLLIN },
        { .fd = input_open ? in_fd : -1, .events = POLLIN },
      };
      ssize_t n;

      if (poll (fds, 2, -1) < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "poll: %s",
                       g_strerror (saved));
          return FALSE;
        }
      if (fds[0].revents != 0)
        {
          n = read (peer_fd, buffer, sizeof buffer);
          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0 || !write_all (out_fd, buffer, n))
            return TRUE;
        }
      if (fds[1].revents != 0)
        {
          n = read (in_fd, buffer, sizeof buffer);
          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              input_open = FALSE;
              shutdown (peer_fd, SHUT_WR);
            }
          else if (!write_all (peer_fd, buffer, n))
            return TRUE;
        }
    }
}
