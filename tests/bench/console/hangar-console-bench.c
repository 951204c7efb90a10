/* hangar-console-bench.c: the VNC and SPICE consoles' first frame and CPU, beside
 * remote-viewer
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Run under a private bus and Xvfb (tests/bench/console/meson.build does both):
 *
 *   hangar-console-bench                     the benchmark; prints figures, asserts nothing
 *   hangar-console-bench view SOCKET         a window with a HangarVncDisplay on a VNC
 *                                            socket: the viewer whose CPU is measured
 *   hangar-console-bench view-spice SOCKET   the same with a HangarSpiceDisplay on a
 *                                            SPICE unix socket (one connection a channel)
 *
 * For VNC, then for SPICE, each on its own boot of the tiny guest:
 * 1. OpenConsole(kind) → fd handed to the display → first frame drawn (the frame
 *    clock's after-paint of the first frame with guest pixels), N times. SPICE's
 *    further channels each get their own OpenConsole, asked asynchronously, as the
 *    Console tab does: that time is in the figure.
 * 2. CPU seconds per minute of the viewer process (the sum over its threads of
 *    /proc/PID/task/TID/schedstat, in ns) while the guest's console is idle, then
 *    while the guest prints without end on tty0 (`yes` started from the serial
 *    console): our viewer and remote-viewer on
 *    the same guest, one after the other, each window at its natural size (the
 *    guest's screen at 1:1), after an equal warm-up. The X server's CPU in the same
 *    span is printed beside each: a GTK 3 viewer leaves more of its drawing to it.
 *
 * HANGAR_CBENCH_KINDS (vnc,spice) picks the protocols, HANGAR_CBENCH_RUNS (10) the
 * first-frame runs and HANGAR_CBENCH_SECONDS (20) the CPU span; 0 leaves that part out.
 */
#define G_LOG_DOMAIN "hangar-bench"

#include "config.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>
#include <gio/gunixsocketaddress.h>
#include <gtk/gtk.h>

#include "hangar-spice-display.h"
#include "hangar-test-desktop.h"
#include "hangar-test-engine.h"
#include "hangar-vnc-display.h"

#define WINDOW_WIDTH  900
#define WINDOW_HEIGHT 560

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("Timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(condition, seconds)                                                \
  G_STMT_START {                                                                      \
    guint timeout_ = g_timeout_add_seconds ((seconds), on_timeout, (gpointer) #condition); \
    while (!(condition))                                                              \
      g_main_context_iteration (NULL, TRUE);                                          \
    g_source_remove (timeout_);                                                       \
  } G_STMT_END

static gboolean
on_spin_done (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Sleeps in the main loop: the windows keep drawing, nothing spins. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_spin_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- the viewer under measure ------------------------------------------------------ */

/* HOST:PORT on the loopback bridge (see bridge_start), or a unix socket's path. */
static int
connect_tcp (const char *address)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  if (address[0] == '/')
    {
      g_autoptr(GSocketAddress) path = g_unix_socket_address_new (address);

      connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (path), NULL, &error);
    }
  else
    connection = g_socket_client_connect_to_host (client, address, 0, NULL, &error);
  if (connection == NULL)
    g_error ("Cannot connect to %s: %s", address, error->message);
  return dup (g_socket_get_fd (g_socket_connection_get_socket (connection)));
}

/* A SPICE viewer's further channels: another connection to the same socket. */
static void
connect_again (HangarSpiceConnection *connection,
               GTask                 *task,
               gpointer               user_data)
{
  g_task_return_int (task, connect_tcp (user_data));
  g_object_unref (task);
}

static int
run_viewer (const char *kind,
            const char *address)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  gboolean spice = g_str_equal (kind, "view-spice");
  GtkWidget *display = spice ? hangar_spice_display_new () : hangar_vnc_display_new ();

  /* The guest's screen at 1:1, as remote-viewer opens at 100 %: one-to-one makes the
   * screen the display's minimum size, so the window grows to it once it is known.
   * (Fitted, the window stayed at the 200×156 it was shown at before the guest's size
   * came, and the screen was drawn scaled down to 200×111.) */
  hangar_display_set_scale (HANGAR_DISPLAY (display), HANGAR_DISPLAY_SCALE_ONE_TO_ONE);
  gtk_window_set_title (window, "Hangar console bench");
  gtk_window_set_child (window, display);
  gtk_window_present (window);
  if (spice)
    {
      hangar_spice_display_set_fd_func (HANGAR_SPICE_DISPLAY (display), connect_again,
                                        g_strdup (address), g_free);
      hangar_spice_display_open_fd (HANGAR_SPICE_DISPLAY (display), connect_tcp (address));
    }
  else
    {
      hangar_vnc_display_open_fd (HANGAR_VNC_DISPLAY (display), connect_tcp (address));
    }
  while (hangar_display_get_state (HANGAR_DISPLAY (display)) != HANGAR_DISPLAY_DISCONNECTED)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

/* ---- measuring ------------------------------------------------------------------------- */

/* Nanoseconds on a CPU of each thread of @pid, by thread id, from
 * /proc/PID/task/TID/schedstat: exact, where utime + stime in /proc/PID/stat count
 * whole 10 ms clock ticks (one tick in 20 s is 0.03 s a minute, the size of an idle
 * viewer's figure). */
static GHashTable *
thread_times (GPid pid)
{
  g_autofree char *folder = g_strdup_printf ("/proc/%d/task", pid);
  g_autoptr(GDir) tasks = g_dir_open (folder, 0, NULL);
  GHashTable *times = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  const char *tid;

  if (tasks == NULL)
    g_error ("Cannot read %s", folder);
  while ((tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, tid, "schedstat", NULL);
      g_autofree char *stat = NULL;
      guint64 ns;

      /* A thread may end between the listing and the read. */
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      ns = g_ascii_strtoull (stat, NULL, 10);
      g_hash_table_insert (times, GINT_TO_POINTER (atoi (tid)), g_memdup2 (&ns, sizeof ns));
    }
  return times;
}

/* CPU seconds that @pid's threads spent between the two samples. A thread that ended
 * in between is not counted (GLib's pool threads end only after idling). */
static double
cpu_seconds_between (GHashTable *before,
                     GHashTable *after)
{
  GHashTableIter iter;
  gpointer tid, ns;
  guint64 total = 0;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &tid, &ns))
    {
      guint64 *was = g_hash_table_lookup (before, tid);

      total += *(guint64 *) ns - (was != NULL ? *was : 0);
    }
  return total / 1e9;
}

/* remote-viewer 11 (gtk-vnc 1.3) takes no unix socket (vnc+unix:// fails an assertion
 * in gtk-vnc), so both viewers reach the engine's socket through one loopback TCP
 * port that this process splices to it; only the viewers' own CPU is measured. */
static void
on_bridge_incoming (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source,
                    gpointer           user_data)
{
  const char *socket_path = user_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (socket_path);
  g_autoptr(GSocketConnection) upstream = NULL;
  g_autoptr(GError) error = NULL;

  upstream = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);
  g_io_stream_splice_async (G_IO_STREAM (connection), G_IO_STREAM (upstream),
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
                            G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static GSocketService *
bridge_start (const char  *socket_path,
              guint16     *port)
{
  GSocketService *service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect_data (service, "incoming", G_CALLBACK (on_bridge_incoming),
                         g_strdup (socket_path), (GClosureNotify) (void (*) (void)) g_free, 0);
  g_socket_service_start (service);
  return service;
}

/* The field after the command name, from /proc/PID/stat: 0 is the state, 1 the parent. */
static char *
stat_field (GPid  pid,
            guint field,
            char **comm)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *open, *close_paren;

  if (!g_file_get_contents (path, &stat, NULL, NULL) ||
      (open = strchr (stat, '(')) == NULL || (close_paren = strrchr (stat, ')')) == NULL)
    return NULL;
  if (comm != NULL)
    *comm = g_strndup (open + 1, close_paren - open - 1);
  fields = g_strsplit (close_paren + 2, " ", 0);
  return field < g_strv_length (fields) ? g_strdup (fields[field]) : NULL;
}

/* Our X server: run-headless.sh, our grandparent (it runs dbus-run-session, which runs
 * us), started it. Returns 0 when it is not found. */
static GPid
find_x_server (void)
{
  g_autofree char *parent = stat_field (getpid (), 1, NULL);
  g_autofree char *grandparent = parent ? stat_field (atoi (parent), 1, NULL) : NULL;
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (grandparent != NULL && proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *comm = NULL;
      g_autofree char *ppid = NULL;
      GPid pid = atoi (name);

      if (pid <= 0)
        continue;
      ppid = stat_field (pid, 1, &comm);
      if (ppid != NULL && g_str_equal (ppid, grandparent) && g_str_equal (comm, "Xvfb"))
        return pid;
    }
  return 0;
}

static GPid x_server;

typedef struct
{
  const char *label;
  double      idle, idle_x;
  double      flood, flood_x;
} Column;

static void
on_viewer_ended (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* Starts a viewer, lets it settle, measures its CPU over @seconds; returns s/min. */
static double
measure_viewer (const char * const *argv,
                char              **env,
                guint               warmup_ms,
                guint               seconds,
                double             *x_per_minute)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) viewer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) x_before = NULL;
  g_autoptr(GHashTable) x_after = NULL;
  double cpu;
  gboolean ended = FALSE;
  GPid pid;

  g_subprocess_launcher_set_environ (launcher, env);
  viewer = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  pid = atoi (g_subprocess_get_identifier (viewer));
  g_subprocess_wait_async (viewer, NULL, on_viewer_ended, &ended);
  spin (warmup_ms);
  if (ended)
    g_error ("%s ended early", argv[0]);
  before = thread_times (pid);
  if (x_server > 0)
    x_before = thread_times (x_server);
  spin (seconds * 1000);
  after = thread_times (pid);
  cpu = cpu_seconds_between (before, after);
  *x_per_minute = 0;
  if (x_server > 0)
    {
      x_after = thread_times (x_server);
      *x_per_minute = cpu_seconds_between (x_before, x_after) * 60.0 / seconds;
    }
  if (ended)
    g_error ("%s ended while measured", argv[0]);
  g_subprocess_send_signal (viewer, SIGTERM);
  while (!ended)
    g_main_context_iteration (NULL, TRUE);
  return cpu * 60.0 / seconds;
}

static int
open_console (HangarDBusMachine1 *machine,
              const char         *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GVariant) handle = NULL;
  int fd;

  hangar_dbus_machine1_call_open_console_sync (machine, kind, NULL, &handle, &fds, NULL,
                                               &error);
  g_assert_no_error (error);
  fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error);
  g_assert_no_error (error);
  return fd;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
on_channel_fd (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) handle = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GError) error = NULL;
  int fd = -1;

  if (hangar_dbus_machine1_call_open_console_finish (HANGAR_DBUS_MACHINE1 (source), &handle,
                                                     &fds, result, &error))
    fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error);
  if (fd < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, fd);
}

/* SPICE's further channels in the first-frame runs: OpenConsole, asynchronously. */
static void
open_channel_fd (HangarSpiceConnection *connection,
                 GTask                 *task,
                 gpointer               user_data)
{
  hangar_dbus_machine1_call_open_console (HANGAR_DBUS_MACHINE1 (user_data), "spice", NULL,
                                          g_task_get_cancellable (task), on_channel_fd, task);
}

/* OpenConsole's fd handed over → first frame drawn, in this process. */
static void
measure_first_frames (HangarDBusMachine1 *machine,
                      const char         *kind,
                      guint               runs)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  double sum = 0;

  for (guint i = 0; i < runs; i++)
    {
      GtkWindow *window = GTK_WINDOW (gtk_window_new ());
      gboolean spice = g_str_equal (kind, "spice");
      GtkWidget *display = spice ? hangar_spice_display_new () : hangar_vnc_display_new ();
      gint64 start;
      double ms;
      int fd;

      gtk_window_set_default_size (window, WINDOW_WIDTH, WINDOW_HEIGHT);
      gtk_window_set_child (window, display);
      gtk_window_present (window);
      /* The window is up first: what is timed is the console, not the window. */
      spin (300);

      if (spice)
        hangar_spice_display_set_fd_func (HANGAR_SPICE_DISPLAY (display), open_channel_fd,
                                          g_object_ref (machine), g_object_unref);
      fd = open_console (machine, kind);
      start = g_get_monotonic_time ();
      if (spice)
        hangar_spice_display_open_fd (HANGAR_SPICE_DISPLAY (display), fd);
      else
        hangar_vnc_display_open_fd (HANGAR_VNC_DISPLAY (display), fd);
      WAIT_UNTIL (hangar_display_get_frames_drawn (HANGAR_DISPLAY (display)) >= 1, 10);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
      sum += ms;
      gtk_window_destroy (window);
      spin (100);
    }
  g_array_sort (times, compare_doubles);
  g_print ("OpenConsole fd handed over → first frame drawn (%s, %u runs): "
           "median %.1f ms, min %.1f, max %.1f, mean %.1f   (target < 100 ms: %s)\n",
           g_str_equal (kind, "spice") ? "SPICE" : "VNC", runs, g_array_index (times, double, runs / 2), g_array_index (times, double, 0),
           g_array_index (times, double, runs - 1), sum / runs,
           g_array_index (times, double, runs / 2) < 100 ? "met" : "MISSED");
}

static void
start_flood (HangarDBusMachine1 *machine)
{
  static const char command[] = "\nyes 'hangar console bench: the guest prints without end'"
                                " > /dev/tty0 &\n";
  int fd = open_console (machine, "serial");

  g_assert_cmpint (write (fd, command, strlen (command)), ==, (gssize) strlen (command));
  /* The shell reads it; closing the socket does not stop the job. */
  spin (500);
  close (fd);
}

/* Our viewer and remote-viewer, one after the other: idle, then while the guest prints. */
static void
measure_cpu (HangarDBusMachine1 *machine,
             gboolean            spice,
             const char         *address,
             const char         *uri,
             guint               seconds,
             guint               warmup_ms,
             char              **env)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *remote_viewer = g_find_program_in_path ("remote-viewer");
  gboolean have_remote_viewer = remote_viewer != NULL;
  g_autofree char *their_idle = NULL;
  g_autofree char *their_flood = NULL;
  Column columns[2] = {
    { spice ? "hangar (HangarSpiceDisplay)" : "hangar (HangarVncDisplay)" },
    { "remote-viewer" },
  };
  const char *ours[] = { self_path, spice ? "view-spice" : "view", address, NULL };
  const char *theirs_vnc[] = { "remote-viewer", "--shared", "--cursor=auto", uri, NULL };
  const char *theirs_spice[] = { "remote-viewer", uri, NULL };
  const char * const *theirs = spice ? theirs_spice : theirs_vnc;

  columns[0].idle = measure_viewer (ours, env, warmup_ms, seconds, &columns[0].idle_x);
  if (have_remote_viewer)
    columns[1].idle = measure_viewer (theirs, env, warmup_ms, seconds, &columns[1].idle_x);
  start_flood (machine);
  columns[0].flood = measure_viewer (ours, env, warmup_ms, seconds, &columns[0].flood_x);
  if (have_remote_viewer)
    columns[1].flood = measure_viewer (theirs, env, warmup_ms, seconds, &columns[1].flood_x);

  their_idle = have_remote_viewer ? g_strdup_printf ("%.3f   (X server +%.3f)", columns[1].idle,
                                                    columns[1].idle_x)
                                  : g_strdup ("n/a (not installed)");
  their_flood = have_remote_viewer ? g_strdup_printf ("%.3f   (X server +%.3f)", columns[1].flood,
                                                     columns[1].flood_x)
                                   : g_strdup ("n/a (not installed)");
  g_print ("Viewer CPU seconds per minute      %-32s %s\n", columns[0].label, columns[1].label);
  g_print ("  guest console idle               %.3f   (X server +%-7.3f) %s\n",
           columns[0].idle, columns[0].idle_x, their_idle);
  g_print ("  guest printing to tty0 (yes)     %.3f   (X server +%-7.3f) %s\n",
           columns[0].flood, columns[0].flood_x, their_flood);
  if (x_server == 0)
    g_print ("  (the X server was not found: its column reads 0)\n");
  if (have_remote_viewer)
    g_print ("  target (CPU ≤ remote-viewer's): idle %s, printing %s\n",
             columns[0].idle <= columns[1].idle ? "met" : "MISSED",
             columns[0].flood <= columns[1].flood ? "met" : "MISSED");
}

/* One console kind on its own boot of the tiny guest: first frames, then CPU. */
static void
bench_kind (const char *kind,
            guint       runs,
            guint       seconds,
            guint       warmup_ms,
            char      **env)
{
  HangarTestEngine engine = { 0 };
  gboolean spice = g_str_equal (kind, "spice");
  g_autofree char *name = g_strdup_printf ("console-bench-%s", kind);
  g_autofree char *devices = g_strdup_printf ("<graphics type='%s'/>"
                                              "<video><model type='vga'/></video>", kind);
  g_autofree char *xml = hangar_test_guest_xml (name, devices);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *socket_path = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GSocketService) bridge = NULL;
  guint16 port = 0;

  hangar_test_engine_setup (&engine);
  machine = hangar_test_define (&engine, xml);
  hangar_test_start_and_wait_ready (&engine, machine);
  socket_path = g_build_filename (engine.runtime_dir, "hangar",
                                  hangar_dbus_machine1_get_uuid (machine),
                                  spice ? "spice.sock" : "vnc.sock", NULL);
  if (spice)
    {
      /* SPICE: both viewers open the engine's socket themselves, once a channel. */
      address = g_strdup (socket_path);
      uri = g_strdup_printf ("spice+unix://%s", socket_path);
    }
  else
    {
      bridge = bridge_start (socket_path, &port);
      address = g_strdup_printf ("127.0.0.1:%u", port);
      uri = g_strdup_printf ("vnc://127.0.0.1:%u", port);
    }

  g_print ("\n%s\n", spice ? "SPICE" : "VNC");
  if (runs > 0)
    measure_first_frames (machine, kind, runs);

  if (seconds > 0)
    measure_cpu (machine, spice, address, uri, seconds, warmup_ms, env);

  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  if (bridge != NULL)
    g_socket_service_stop (bridge);
  hangar_test_engine_teardown (&engine);
}

static int
run_bench (void)
{
  g_auto(GStrv) env = g_get_environ ();
  guint runs = env_uint ("HANGAR_CBENCH_RUNS", 10);
  guint seconds = env_uint ("HANGAR_CBENCH_SECONDS", 20);
  guint warmup_ms = 3000;
  const char *kinds = g_getenv ("HANGAR_CBENCH_KINDS");
  g_autoptr(GSubprocess) window_manager = NULL;

  /* Each first-frame run closes its display as soon as the frame is drawn, when
   * SPICE's other channels may still be linking: spice-client-glib warns of every
   * link cut short ("incomplete link header"). That is no failure of a benchmark,
   * which asserts nothing: warnings are not fatal here, criticals still are. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  /* What a user runs: no test switches in the viewers' environment. */
  env = g_environ_unsetenv (env, "G_DEBUG");
  env = g_environ_unsetenv (env, "MALLOC_PERTURB_");

  /* A desktop has a window manager. Without one GTK 4 asks the X server for
   * _NET_SUPPORTING_WM_CHECK again at every frame it draws (a round trip, ~10 % of
   * a viewer's CPU), where GTK 3 asks once in 15 s: HANGAR_CBENCH_WM=0 measures that. */
  if (env_uint ("HANGAR_CBENCH_WM", 1) != 0)
    window_manager = hangar_test_start_window_manager ();

  x_server = find_x_server ();
  g_print ("Console benchmark: tiny guest (VGA text mode), QEMU under TCG, Xvfb, %s, "
           "GSK_RENDERER=%s; CPU over %u s after a %u ms warm-up; both viewers at 1:1\n",
           window_manager != NULL ? "openbox" : "no window manager",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "(default)",
           seconds, warmup_ms);
  if (kinds == NULL || strstr (kinds, "vnc") != NULL)
    bench_kind ("vnc", runs, seconds, warmup_ms, env);
  if (kinds == NULL || strstr (kinds, "spice") != NULL)
    bench_kind ("spice", runs, seconds, warmup_ms, env);
  if (window_manager != NULL)
    {
      g_subprocess_send_signal (window_manager, SIGTERM);
      g_subprocess_wait (window_manager, NULL, NULL);
    }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  gtk_init ();

  if (argc == 3 && (g_str_equal (argv[1], "view") || g_str_equal (argv[1], "view-spice")))
    return run_viewer (argv[1], argv[2]);
  if (argc != 1)
    {
      g_printerr ("usage: %s [view|view-spice SOCKET]\n", argv[0]);
      return 2;
    }
  return run_bench ();
}
