/* hangar-bench-tool.c: the timing half of Hangar's benchmarks (see README.md)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * bench.py drives the benchmark; this program does whatever must be timed
 * precisely, so that no Python or process start-up ends up inside a figure. Every
 * subcommand prints one JSON object per measurement on stdout (times in
 * milliseconds, from CLOCK_MONOTONIC) and its complaints on stderr.
 *
 *   reap CMD ARG...               run CMD as a child subreaper and reap every orphan
 *                                 at once (PID 1 here reaps only every ~2 s)
 *   wait-engine TIMEOUT_MS        wait until the engine owns its bus name
 *   start-loop NAME N             N × (Start timed, ForceOff timed) of a defined machine
 *   hangar-boot XML LOG TIMEOUT_MS [ARGV_OUT]
 *                                 DefineMachine + Start over D-Bus, wait for the READY
 *                                 line in LOG, then ForceOff and Delete. ARGV_OUT gets
 *                                 QEMU's command line (NUL-separated).
 *   qemu-boot ARGV_FILE SOCKET LOG TIMEOUT_MS
 *                                 spawn QEMU as the engine does (own session, a bound
 *                                 listening QMP socket as fd 3), time the QMP greeting,
 *                                 the capabilities handshake and READY, then kill it;
 *                                 TIMEOUT_MS 0: kill it right after the handshake
 *   cmd-boot LOG TIMEOUT_MS --cmd CMD ARG... [--cmd CMD ARG...]
 *                                 run commands one after another (each timed), then
 *                                 wait for READY, timed from the first command
 *   cmd-time N CMD ARG...         run CMD N times, time each run (stdout discarded)
 *   define-many TEMPLATE COUNT PREFIX
 *                                 DefineMachine COUNT copies of TEMPLATE, "@NAME@"
 *                                 replaced by PREFIX0, PREFIX1, ...
 *   delete-many COUNT PREFIX      Delete those machines again (missing ones skipped)
 *   force-off-delete NAME         ForceOff (if running) and Delete one machine
 *   managed-objects N             N × GetManagedObjects, timed (what a client's object
 *                                 manager asks first: the engine's share of `list`)
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define BUS_NAME "io.github.hangarvm.Hangar.Engine"
#define HOST_PATH "/io/github/hangarvm/Hangar/host"
#define HOST_IFACE "io.github.hangarvm.Hangar.Host1"
#define MACHINE_IFACE "io.github.hangarvm.Hangar.Machine1"
#define READY_LINE "HANGAR-GUEST-READY"
#define CALL_TIMEOUT_MS 120000

/* ---- clocks and output ------------------------------------------------------------ */

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void G_GNUC_PRINTF (1, 2)
emit (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static int G_GNUC_PRINTF (1, 2)
fail (const char *format,
      ...)
{
  va_list args;

  fputs ("hangar-bench-tool: ", stderr);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  return 1;
}

/* ---- waiting for the READY line ------------------------------------------------------ */

typedef struct
{
  char  *path;
  int    inotify_fd;
  off_t  offset;
  char   tail[sizeof READY_LINE];   /* the last bytes read, for a line cut in two reads */
  gsize  tail_len;
} ReadyWatch;

/* Watches the folder of @path (the file may not exist yet). Removes an old @path. */
static gboolean
ready_watch_init (ReadyWatch *watch,
                  const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  memset (watch, 0, sizeof *watch);
  watch->path = g_strdup (path);
  unlink (path);
  watch->inotify_fd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
  if (watch->inotify_fd < 0 ||
      inotify_add_watch (watch->inotify_fd, dir,
                         IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO) < 0)
    {
      fail ("inotify on %s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static void
ready_watch_clear (ReadyWatch *watch)
{
  if (watch->inotify_fd >= 0)
    close (watch->inotify_fd);
  g_free (watch->path);
}

/* Reads what is new in the file; TRUE once READY_LINE is in it. */
static gboolean
ready_watch_check (ReadyWatch *watch)
{
  int fd = open (watch->path, O_RDONLY | O_CLOEXEC);
  char buffer[sizeof watch->tail + 65536];
  gboolean found = FALSE;
  struct stat st;

  if (fd < 0)
    return FALSE;
  if (fstat (fd, &st) == 0 && st.st_size < watch->offset)
    {
      watch->offset = 0; /* truncated by a new writer */
      watch->tail_len = 0;
    }
  for (;;)
    {
      ssize_t n;
      gsize len;

      memcpy (buffer, watch->tail, watch->tail_len);
      n = pread (fd, buffer + watch->tail_len, sizeof buffer - watch->tail_len, watch->offset);
      if (n <= 0)
        break;
      watch->offset += n;
      len = watch->tail_len + n;
      if (memmem (buffer, len, READY_LINE, strlen (READY_LINE)) != NULL)
        {
          found = TRUE;
          break;
        }
      watch->tail_len = MIN (len, strlen (READY_LINE) - 1);
      memmove (watch->tail, buffer + len - watch->tail_len, watch->tail_len);
    }
  close (fd);
  return found;
}

/* Waits for READY until @deadline_ms; returns the time it was seen, or -1. @child, when
 * positive, is a process whose end means READY will never come. */
static double
ready_watch_wait (ReadyWatch *watch,
                  double      deadline_ms,
                  pid_t       child)
{
  for (;;)
    {
      struct pollfd pfd = { .fd = watch->inotify_fd, .events = POLLIN };
      double left;
      char events[4096];

      if (ready_watch_check (watch))
        return now_ms ();
      left = deadline_ms - now_ms ();
      if (left <= 0)
        return -1;
      if (child > 0 && waitpid (child, NULL, WNOHANG) == child)
        {
          fail ("QEMU %d ended before READY", (int) child);
          return -1;
        }
      /* Events wake us at once; the 20 ms timeout is only a safety net. */
      if (poll (&pfd, 1, (int) MIN (left + 1, 20)) > 0)
        while (read (watch->inotify_fd, events, sizeof events) > 0)
          ;
    }
}

/* ---- D-Bus ------------------------------------------------------------------------- */

static GDBusConnection *
bus (void)
{
  static GDBusConnection *connection;
  g_autoptr(GError) error = NULL;

  if (connection == NULL)
    {
      connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      if (connection == NULL)
        {
          fail ("session bus: %s", error->message);
          exit (1);
        }
    }
  return connection;
}

static GVariant *
call (const char          *path,
      const char          *iface,
      const char          *method,
      GVariant            *parameters,
      const GVariantType  *reply_type,
      GError             **error)
{
  return g_dbus_connection_call_sync (bus (), BUS_NAME, path, iface, method, parameters,
                                      reply_type, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                      CALL_TIMEOUT_MS, NULL, error);
}

static gboolean
call_void (const char  *path,
           const char  *method,
           GVariant    *parameters,
           GError     **error)
{
  g_autoptr(GVariant) reply = call (path, MACHINE_IFACE, method, parameters, NULL, error);

  return reply != NULL;
}

static char *
lookup (const char  *name,
        GError     **error)
{
  g_autoptr(GVariant) reply = call (HOST_PATH, HOST_IFACE, "LookupMachine",
                                    g_variant_new ("(s)", name), G_VARIANT_TYPE ("(o)"), error);
  char *path = NULL;

  if (reply != NULL)
    g_variant_get (reply, "(o)", &path);
  return path;
}

static char *
define (const char  *xml,
        GError     **error)
{
  g_autoptr(GVariant) reply = call (HOST_PATH, HOST_IFACE, "DefineMachine",
                                    g_variant_new ("(s)", xml), G_VARIANT_TYPE ("(o)"), error);
  char *path = NULL;

  if (reply != NULL)
    g_variant_get (reply, "(o)", &path);
  return path;
}

static GVariant *
get_property (const char *path,
              const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = g_dbus_connection_call_sync (bus (), BUS_NAME, path, "org.freedesktop.DBus.Properties",
                                       "Get", g_variant_new ("(ss)", MACHINE_IFACE, name),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE,
                                       CALL_TIMEOUT_MS, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(v)", &value);
  return value;
}

static guint
machine_pid (const char *path)
{
  g_autoptr(GVariant) value = get_property (path, "Pid");

  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32) ?
         g_variant_get_uint32 (value) : 0;
}

static gboolean
copy_cmdline (guint       pid,
              const char *out_path)
{
  g_autofree char *proc = g_strdup_printf ("/proc/%u/cmdline", pid);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  if (!g_file_get_contents (proc, &contents, &length, &error) ||
      !g_file_set_contents (out_path, contents, length, &error))
    {
      fail ("QEMU command line: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_wait_engine (int    argc,
                 char **argv)
{
  double deadline;

  if (argc != 1)
    return fail ("usage: wait-engine TIMEOUT_MS");
  deadline = now_ms () + atof (argv[0]);
  while (now_ms () < deadline)
    {
      g_autoptr(GVariant) reply = NULL;
      gboolean has_owner = FALSE;

      reply = g_dbus_connection_call_sync (bus (), "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", BUS_NAME), G_VARIANT_TYPE ("(b)"),
                                           G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &has_owner);
      if (has_owner)
        {
          emit ("{\"ready\": true}");
          return 0;
        }
      g_usleep (5000);
    }
  return fail ("the engine did not own %s in time", BUS_NAME);
}

static int
cmd_start_loop (int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int n;

  if (argc != 2)
    return fail ("usage: start-loop NAME N");
  n = atoi (argv[1]);
  path = lookup (argv[0], &error);
  if (path == NULL)
    return fail ("%s: %s", argv[0], error->message);

  for (int i = 0; i < n; i++)
    {
      double t0, t1, t2;

      t0 = now_ms ();
      if (!call_void (path, "Start", NULL, &error))
        return fail ("Start: %s", error->message);
      t1 = now_ms ();
      if (!call_void (path, "ForceOff", NULL, &error))
        return fail ("ForceOff: %s", error->message);
      t2 = now_ms ();
      emit ("{\"start_ms\": %.3f, \"force_off_ms\": %.3f}", t1 - t0, t2 - t1);
    }
  return 0;
}

static int
cmd_hangar_boot (int    argc,
                 char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;
  ReadyWatch watch;
  double t0, t1, t2, t3, t4, t5;
  int status = 0;

  if (argc != 3 && argc != 4)
    return fail ("usage: hangar-boot XML LOG TIMEOUT_MS [ARGV_OUT]");
  if (!g_file_get_contents (argv[0], &xml, NULL, &error))
    return fail ("%s", error->message);
  if (!ready_watch_init (&watch, argv[1]))
    return 1;
  bus ();

  t0 = now_ms ();
  path = define (xml, &error);
  if (path == NULL)
    return fail ("DefineMachine: %s", error->message);
  t1 = now_ms ();
  if (!call_void (path, "Start", NULL, &error))
    {
      fail ("Start: %s", error->message);
      call_void (path, "Delete", g_variant_new ("(u)", 0), NULL);
      return 1;
    }
  t2 = now_ms ();
  t3 = ready_watch_wait (&watch, t0 + atof (argv[2]), 0);
  if (t3 < 0)
    status = fail ("no %s in %s", READY_LINE, argv[1]);
  if (argc == 4)
    copy_cmdline (machine_pid (path), argv[3]);

  t4 = now_ms ();
  if (!call_void (path, "ForceOff", NULL, &error))
    return fail ("ForceOff: %s", error->message);
  t5 = now_ms ();
  if (!call_void (path, "Delete", g_variant_new ("(u)", 0), &error))
    return fail ("Delete: %s", error->message);
  ready_watch_clear (&watch);
  if (status == 0)
    emit ("{\"define_ms\": %.3f, \"start_ms\": %.3f, \"ready_ms\": %.3f, "
          "\"start_to_ready_ms\": %.3f, \"force_off_ms\": %.3f}",
          t1 - t0, t2 - t1, t3 - t0, t3 - t2, t5 - t4);
  return status;
}

static int
cmd_force_off_delete (int    argc,
                      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (argc != 1)
    return fail ("usage: force-off-delete NAME");
  path = lookup (argv[0], &error);
  if (path == NULL)
    return 0;
  if (machine_pid (path) != 0)
    call_void (path, "ForceOff", NULL, NULL);
  if (!call_void (path, "Delete", g_variant_new ("(u)", 0), &error))
    return fail ("Delete %s: %s", argv[0], error->message);
  return 0;
}

static int
cmd_define_many (int    argc,
                 char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = NULL;
  double t0;
  int count;

  if (argc != 3)
    return fail ("usage: define-many TEMPLATE COUNT PREFIX");
  if (!g_file_get_contents (argv[0], &template, NULL, &error))
    return fail ("%s", error->message);
  count = atoi (argv[1]);
  bus ();
  t0 = now_ms ();
  for (int i = 0; i < count; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s%d", argv[2], i);
      g_auto(GStrv) parts = g_strsplit (template, "@NAME@", -1);
      g_autofree char *xml = g_strjoinv (name, parts);
      g_autofree char *path = define (xml, &error);

      if (path == NULL)
        return fail ("DefineMachine %s: %s", name, error->message);
    }
  emit ("{\"count\": %d, \"total_ms\": %.3f}", count, now_ms () - t0);
  return 0;
}

static int
cmd_delete_many (int    argc,
                 char **argv)
{
  int count, deleted = 0;
  double t0;

  if (argc != 2)
    return fail ("usage: delete-many COUNT PREFIX");
  count = atoi (argv[0]);
  t0 = now_ms ();
  for (int i = 0; i < count; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s%d", argv[1], i);
      g_autofree char *path = lookup (name, NULL);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        continue;
      if (!call_void (path, "Delete", g_variant_new ("(u)", 0), &error))
        fail ("Delete %s: %s", name, error->message);
      else
        deleted++;
    }
  emit ("{\"count\": %d, \"total_ms\": %.3f}", deleted, now_ms () - t0);
  return 0;
}

static int
cmd_managed_objects (int    argc,
                     char **argv)
{
  int n;

  if (argc != 1)
    return fail ("usage: managed-objects N");
  n = atoi (argv[0]);
  bus ();
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = NULL;
      double t0 = now_ms ();

      reply = g_dbus_connection_call_sync (bus (), BUS_NAME, "/io/github/hangarvm/Hangar",
                                           "org.freedesktop.DBus.ObjectManager",
                                           "GetManagedObjects", NULL, NULL,
                                           G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS,
                                           NULL, &error);
      if (reply == NULL)
        return fail ("GetManagedObjects: %s", error->message);
      emit ("{\"ms\": %.3f, \"bytes\": %" G_GSIZE_FORMAT "}", now_ms () - t0,
            g_variant_get_size (reply));
    }
  return 0;
}

/* ---- processes --------------------------------------------------------------------- */

/* Runs @argv with stdout (and stdin) on /dev/null; returns its wait status, or -1. */
static int
run_quiet (char **argv)
{
  posix_spawn_file_actions_t actions;
  pid_t pid;
  int status = -1, err;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  err = posix_spawnp (&pid, argv[0], &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  if (err != 0)
    {
      fail ("%s: %s", argv[0], g_strerror (err));
      return -1;
    }
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  return status;
}

static int
cmd_cmd_time (int    argc,
              char **argv)
{
  int n;

  if (argc < 2)
    return fail ("usage: cmd-time N CMD ARG...");
  n = atoi (argv[0]);
  for (int i = 0; i < n; i++)
    {
      double t0 = now_ms ();
      int status = run_quiet (argv + 1);
      double t1 = now_ms ();

      if (status != 0)
        return fail ("%s failed (wait status %d)", argv[1], status);
      emit ("{\"ms\": %.3f}", t1 - t0);
    }
  return 0;
}

static int
cmd_cmd_boot (int    argc,
              char **argv)
{
  g_autoptr(GString) json = g_string_new ("{\"cmd_ms\": [");
  ReadyWatch watch;
  double t0, t_ready, deadline;
  int i = 2;

  if (argc < 4 || !g_str_equal (argv[2], "--cmd"))
    return fail ("usage: cmd-boot LOG TIMEOUT_MS --cmd CMD ARG... [--cmd CMD ARG...]");
  if (!ready_watch_init (&watch, argv[0]))
    return 1;
  t0 = now_ms ();
  deadline = t0 + atof (argv[1]);
  while (i < argc)
    {
      int start = ++i, status;
      char *saved;
      double t1;

      while (i < argc && !g_str_equal (argv[i], "--cmd"))
        i++;
      saved = argv[i < argc ? i : argc];
      argv[i < argc ? i : argc] = NULL;
      t1 = now_ms ();
      status = run_quiet (argv + start);
      g_string_append_printf (json, "%s%.3f", start > 3 ? ", " : "", now_ms () - t1);
      argv[i < argc ? i : argc] = saved;
      if (status != 0)
        return fail ("%s failed (wait status %d)", argv[start], status);
    }
  t_ready = ready_watch_wait (&watch, deadline, 0);
  ready_watch_clear (&watch);
  if (t_ready < 0)
    return fail ("no %s in %s", READY_LINE, argv[0]);
  g_string_append_printf (json, "], \"ready_ms\": %.3f}", t_ready - t0);
  emit ("%s", json->str);
  return 0;
}

/* Reads one line from @fd (blocking); FALSE at the end. */
static gboolean
read_line (int   fd,
           char *line,
           gsize size)
{
  gsize len = 0;

  while (len + 1 < size)
    {
      ssize_t n = read (fd, line + len, 1);
      if (n <= 0)
        return FALSE;
      if (line[len] == '\n')
        break;
      len++;
    }
  line[len] = '\0';
  return TRUE;
}

static int
cmd_qemu_boot (int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) qemu_argv = g_ptr_array_new ();
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  static const char capabilities[] = "{\"execute\":\"qmp_capabilities\",\"id\":1}\n";
  char line[65536];
  ReadyWatch watch;
  double t0, t_spawned, t_greeting, t_handshake, t_ready, t_end;
  gsize length;
  int listen_fd, client_fd, status = 0;
  pid_t pid;

  if (argc != 4)
    return fail ("usage: qemu-boot ARGV_FILE SOCKET LOG TIMEOUT_MS");
  if (!g_file_get_contents (argv[0], &contents, &length, &error))
    return fail ("%s", error->message);
  for (gsize i = 0; i < length; i += strlen (contents + i) + 1)
    g_ptr_array_add (qemu_argv, contents + i);
  g_ptr_array_add (qemu_argv, NULL);
  if (strlen (argv[1]) >= sizeof address.sun_path)
    return fail ("socket path too long");
  strcpy (address.sun_path, argv[1]);
  if (!ready_watch_init (&watch, argv[2]))
    return 1;

  /* What the engine does: bind and listen first, hand QEMU the fd, connect at once. */
  t0 = now_ms ();
  unlink (argv[1]);
  listen_fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd < 0 || bind (listen_fd, (struct sockaddr *) &address, sizeof address) != 0 ||
      listen (listen_fd, 4) != 0)
    return fail ("monitor socket %s: %s", argv[1], g_strerror (errno));
  pid = fork ();
  if (pid < 0)
    return fail ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      int null_fd = open ("/dev/null", O_RDWR);

      setsid ();
      dup2 (null_fd, STDIN_FILENO);
      dup2 (null_fd, STDOUT_FILENO);
      dup2 (listen_fd, 3); /* dup2 clears FD_CLOEXEC on the copy */
      execv (g_ptr_array_index (qemu_argv, 0), (char **) qemu_argv->pdata);
      _exit (127);
    }
  t_spawned = now_ms ();
  close (listen_fd);
  client_fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (client_fd < 0 || connect (client_fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      return fail ("connect %s: %s", argv[1], g_strerror (errno));
    }
  if (!read_line (client_fd, line, sizeof line) || strstr (line, "\"QMP\"") == NULL)
    {
      waitpid (pid, NULL, 0);
      return fail ("no QMP greeting from QEMU");
    }
  t_greeting = now_ms ();
  if (write (client_fd, capabilities, strlen (capabilities)) < 0 ||
      !read_line (client_fd, line, sizeof line))
    {
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      return fail ("no reply to qmp_capabilities");
    }
  t_handshake = now_ms ();
  if (atof (argv[3]) > 0)
    {
      t_ready = ready_watch_wait (&watch, t0 + atof (argv[3]), pid);
      if (t_ready < 0)
        status = fail ("no %s in %s", READY_LINE, argv[2]);
    }
  else
    t_ready = t_handshake;
  t_end = now_ms ();
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  close (client_fd);
  unlink (argv[1]);
  ready_watch_clear (&watch);
  if (status == 0)
    emit ("{\"spawn_ms\": %.3f, \"greeting_ms\": %.3f, \"handshake_ms\": %.3f, "
          "\"ready_ms\": %.3f, \"kill_ms\": %.3f}",
          t_spawned - t0, t_greeting - t0, t_handshake - t0, t_ready - t0, now_ms () - t_end);
  return status;
}

/* ---- reaper ------------------------------------------------------------------------ */

static volatile sig_atomic_t forwarded_signal;

static void
on_signal (int signum)
{
  forwarded_signal = signum;
}

static int
cmd_reap (int    argc,
          char **argv)
{
  struct sigaction action = { .sa_handler = on_signal };
  pid_t child;
  int child_status = 0;

  if (argc < 1)
    return fail ("usage: reap CMD ARG...");
  if (prctl (PR_SET_CHILD_SUBREAPER, 1) != 0)
    return fail ("PR_SET_CHILD_SUBREAPER: %s", g_strerror (errno));
  child = fork ();
  if (child < 0)
    return fail ("fork: %s", g_strerror (errno));
  if (child == 0)
    {
      execvp (argv[0], argv);
      fail ("%s: %s", argv[0], g_strerror (errno));
      _exit (127);
    }
  /* No SA_RESTART: a signal interrupts waitpid and is passed on to the child. */
  sigaction (SIGTERM, &action, NULL);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGHUP, &action, NULL);
  for (;;)
    {
      int status;
      pid_t pid = waitpid (-1, &status, 0);

      if (pid < 0 && errno == EINTR)
        {
          if (forwarded_signal != 0)
            {
              kill (child, forwarded_signal);
              forwarded_signal = 0;
            }
          continue;
        }
      if (pid < 0)
        break; /* no child left */
      if (pid == child)
        {
          child_status = status;
          child = -1;
          /* Orphans still running stay ours; do not wait for them forever. */
          break;
        }
    }
  /* Reap what has already ended, without blocking. */
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;
  if (WIFSIGNALED (child_status))
    return 128 + WTERMSIG (child_status);
  return WEXITSTATUS (child_status);
}

/* ---- main -------------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    const char *name;
    int (*run) (int argc, char **argv);
  } commands[] = {
    { "reap", cmd_reap },
    { "wait-engine", cmd_wait_engine },
    { "start-loop", cmd_start_loop },
    { "hangar-boot", cmd_hangar_boot },
    { "qemu-boot", cmd_qemu_boot },
    { "cmd-boot", cmd_cmd_boot },
    { "cmd-time", cmd_cmd_time },
    { "define-many", cmd_define_many },
    { "delete-many", cmd_delete_many },
    { "force-off-delete", cmd_force_off_delete },
    { "managed-objects", cmd_managed_objects },
  };

  if (argc < 2)
    return fail ("usage: hangar-bench-tool COMMAND ARG... (see the source)");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 2, argv + 2);
  return fail ("unknown command %s", argv[1]);
}
