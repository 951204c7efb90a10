/* hangar-window-bench.c: the timing half of the window benchmarks (see README.md)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * window.py drives the benchmark; this program does whatever must be timed. Every
 * subcommand prints one JSON object per measurement on stdout (times in ms from
 * CLOCK_MONOTONIC, memory in KiB) and its complaints on stderr.
 *
 *   map-time RSS_DELAY_MS TITLE_REGEX TIMEOUT_MS -- CMD ARG...
 *       Selects SubstructureNotify on the X root window (no window manager: every
 *       toplevel is a child of the root), takes the time, spawns CMD, and waits for
 *       the MapNotify of a toplevel whose _NET_WM_PID is CMD's pid and whose title
 *       matches TITLE_REGEX. RSS_DELAY_MS later it reads CMD's VmRSS and the CPU
 *       time CMD used in between (and before the map), then ends
 *       CMD (SIGTERM, SIGKILL after 3 s) and reaps it.
 *   spawn-engine LOG TIMEOUT_MS -- CMD ARG...
 *       Watches NameOwnerChanged for the engine's bus name, takes the time, spawns
 *       CMD (output to LOG) and waits until it owns the name. Prints its pid and
 *       leaves it running (the caller is its subreaper and ends it).
 *   populate COUNT MACHINE_PATH TIMEOUT_MS
 *       Re-executes itself (the time taken just before the exec is the origin) as
 *       the window: Hangar's own HangarApplication, in-process. Times main(), the
 *       window mapped, the first frame, the connection, the machine list holding
 *       COUNT items and the first frame painted after that; VmRSS 1 s later; then
 *       Pause on MACHINE_PATH ("-": skipped) until a label of the window reads
 *       "Paused", and the frame after it.
 *
 *   reap CMD ARG...
 *       Runs CMD as a child subreaper and reaps every orphan at once (PID 1 here
 *       reaps only every ~2 s; libvirtd waits for its killed capability probes).
 *
 * It uses only the public headers of ui/ (application, window, connection, machine
 * list) and GTK's own widget tree, so that the window's insides may change.
 */
#include "config.h"

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <errno.h>
#include <fcntl.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hangar-application.h"
#include "hangar-connection.h"
#include "hangar-machine-list.h"
#include "hangar-window.h"

extern char **environ;

#define BUS_NAME "io.github.hangarvm.Hangar.Engine"
#define MACHINE_IFACE "io.github.hangarvm.Hangar.Machine1"
#define T0_ENV "HANGAR_WBENCH_T0_NS"

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long
rss_kib (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  line = strstr (text, "\nVmRSS:");
  return line != NULL ? strtol (line + 7, NULL, 10) : -1;
}

/* User + system CPU time of @pid so far, in ms (clock-tick resolution). */
static double
proc_cpu_ms (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  unsigned long utime, stime;
  const char *end;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (end = strrchr (text, ')')) == NULL)
    return -1;
  /* After "pid (comm)": state is field 3, utime 14, stime 15. */
  if (sscanf (end + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
              &utime, &stime) != 2)
    return -1;
  return (utime + stime) * 1000.0 / sysconf (_SC_CLK_TCK);
}

static void
end_child (pid_t pid)
{
  int status;

  kill (pid, SIGTERM);
  for (int i = 0; i < 300; i++)
    {
      if (waitpid (pid, &status, WNOHANG) == pid)
        return;
      g_usleep (10000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
}

/* ---- map-time ------------------------------------------------------------------ */

static char *
window_title (Display *dpy,
              Window   window)
{
  Atom utf8 = XInternAtom (dpy, "UTF8_STRING", False);
  Atom net_wm_name = XInternAtom (dpy, "_NET_WM_NAME", False);
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  char *name = NULL;

  if (XGetWindowProperty (dpy, window, net_wm_name, 0, 1024, False, utf8, &type, &format,
                          &n, &after, &data) == Success && data != NULL && n > 0)
    {
      char *title = g_strndup ((char *) data, n);
      XFree (data);
      return title;
    }
  if (data != NULL)
    XFree (data);
  if (XFetchName (dpy, window, &name) && name != NULL)
    {
      char *title = g_strdup (name);
      XFree (name);
      return title;
    }
  return g_strdup ("");
}

static long
window_pid (Display *dpy,
            Window   window)
{
  Atom net_wm_pid = XInternAtom (dpy, "_NET_WM_PID", False);
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  long pid = -1;

  if (XGetWindowProperty (dpy, window, net_wm_pid, 0, 1, False, XA_CARDINAL, &type, &format,
                          &n, &after, &data) == Success && data != NULL && n == 1)
    pid = *(long *) data;
  if (data != NULL)
    XFree (data);
  return pid;
}

static int
ignore_x_errors (Display *dpy, XErrorEvent *event)
{
  return 0;   /* a window gone before we asked for its properties */
}

static int
cmd_map_time (int argc, char **argv)
{
  int rss_delay_ms, timeout_ms;
  regex_t title_re;
  Display *dpy;
  pid_t pid;
  gint64 t0, deadline;
  double map_ms = -1;
  g_autofree char *title = NULL;
  g_autoptr(GString) others = g_string_new (NULL);
  int status;

  if (argc < 5 || strcmp (argv[3], "--") != 0)
    {
      g_printerr ("usage: map-time RSS_DELAY_MS TITLE_REGEX TIMEOUT_MS -- CMD ARG...\n");
      return 2;
    }
  rss_delay_ms = atoi (argv[0]);
  if (regcomp (&title_re, argv[1], REG_EXTENDED | REG_NOSUB) != 0)
    {
      g_printerr ("map-time: bad regex %s\n", argv[1]);
      return 2;
    }
  timeout_ms = atoi (argv[2]);

  dpy = XOpenDisplay (NULL);
  if (dpy == NULL)
    {
      g_printerr ("map-time: cannot open the display\n");
      return 1;
    }
  XSetErrorHandler (ignore_x_errors);
  XSelectInput (dpy, DefaultRootWindow (dpy), SubstructureNotifyMask);
  XSync (dpy, True);   /* selected before the spawn: no MapNotify can be missed */

  t0 = now_ns ();
  if (posix_spawnp (&pid, argv[4], NULL, NULL, argv + 4, environ) != 0)
    {
      g_printerr ("map-time: cannot run %s: %s\n", argv[4], g_strerror (errno));
      return 1;
    }

  deadline = t0 + (gint64) timeout_ms * 1000000;
  while (map_ms < 0)
    {
      struct pollfd pfd = { .fd = ConnectionNumber (dpy), .events = POLLIN };
      gint64 left = deadline - now_ns ();

      if (left <= 0 || waitpid (pid, &status, WNOHANG) == pid)
        {
          g_printerr ("map-time: %s: no window mapped (%s); other windows: %s\n", argv[4],
                      left <= 0 ? "timeout" : "process ended",
                      others->len ? others->str : "none");
          if (left <= 0)
            end_child (pid);
          return 1;
        }
      if (XPending (dpy) == 0)
        {
          poll (&pfd, 1, MIN (left / 1000000 + 1, 100));
          continue;
        }
      while (XPending (dpy) > 0 && map_ms < 0)
        {
          XEvent event;
          gint64 t_event;

          XNextEvent (dpy, &event);
          t_event = now_ns ();   /* taken before any property round trip */
          if (event.type != MapNotify || event.xmap.override_redirect)
            continue;
          g_free (title);
          title = window_title (dpy, event.xmap.window);
          if (window_pid (dpy, event.xmap.window) == pid &&
              regexec (&title_re, title, 0, NULL, 0) == 0)
            map_ms = (t_event - t0) / 1e6;
          else
            g_string_append_printf (others, "\"%s\" ", title);
        }
    }

  {
    double cpu_at_map = proc_cpu_ms (pid);
    double idle_cpu;
    long rss;
    g_autofree char *escaped = g_strescape (title, NULL);

    g_usleep ((gulong) rss_delay_ms * 1000);
    rss = rss_kib (pid);
    idle_cpu = proc_cpu_ms (pid) - cpu_at_map;
    g_print ("{\"map_ms\": %.3f, \"rss_kib\": %ld, \"cpu_at_map_ms\": %.0f, "
             "\"idle_cpu_ms\": %.0f, \"pid\": %d, \"title\": \"%s\"}\n",
             map_ms, rss, cpu_at_map, idle_cpu, (int) pid, escaped);
  }
  end_child (pid);
  XCloseDisplay (dpy);
  return 0;
}

/* ---- spawn-engine --------------------------------------------------------------- */

static void
on_name_owner_changed (GDBusConnection *connection,
                       const char      *sender,
                       const char      *path,
                       const char      *iface,
                       const char      *signal_name,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  const char *name, *old_owner, *new_owner;

  g_variant_get (parameters, "(&s&s&s)", &name, &old_owner, &new_owner);
  if (g_str_equal (name, BUS_NAME) && *new_owner != '\0')
    *(gint64 *) user_data = now_ns ();
}

static int
cmd_spawn_engine (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  posix_spawn_file_actions_t actions;
  gint64 t0, t_owned = 0, deadline;
  pid_t pid;
  int status;

  if (argc < 4 || strcmp (argv[2], "--") != 0)
    {
      g_printerr ("usage: spawn-engine LOG TIMEOUT_MS -- CMD ARG...\n");
      return 2;
    }
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr ("spawn-engine: %s\n", error->message);
      return 1;
    }
  g_dbus_connection_signal_subscribe (bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                      "NameOwnerChanged", "/org/freedesktop/DBus", BUS_NAME,
                                      G_DBUS_SIGNAL_FLAGS_NONE, on_name_owner_changed,
                                      &t_owned, NULL);
  /* The match rule is in place once the bus has answered a call after it. */
  g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                               "org.freedesktop.DBus", "GetId", NULL, NULL,
                               G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, 1, argv[0], O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2 (&actions, 1, 2);
  t0 = now_ns ();
  if (posix_spawn (&pid, argv[3], &actions, NULL, argv + 3, environ) != 0)
    {
      g_printerr ("spawn-engine: cannot run %s: %s\n", argv[3], g_strerror (errno));
      return 1;
    }
  deadline = t0 + (gint64) atoi (argv[1]) * 1000000;
  while (t_owned == 0 && now_ns () < deadline)
    {
      if (waitpid (pid, &status, WNOHANG) == pid)
        {
          g_printerr ("spawn-engine: the engine ended (status %d); see %s\n", status, argv[0]);
          return 1;
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  if (t_owned == 0)
    {
      g_printerr ("spawn-engine: the engine did not own %s in time\n", BUS_NAME);
      end_child (pid);
      return 1;
    }
  g_print ("{\"pid\": %d, \"ms\": %.3f}\n", (int) pid, (t_owned - t0) / 1e6);
  return 0;
}

/* ---- populate (the window, in-process) ----------------------------------------- */

typedef struct
{
  GApplication *app;
  GtkWidget *window;
  GListModel *machines;
  guint count;
  const char *machine_path;
  gint64 t0;
  gint64 t_main, t_startup, t_activate, t_window, t_realized, t_mapped, t_first_paint, t_connected, t_full, t_full_paint;
  gint64 t_pause_call, t_pause_reply, t_label, t_label_paint;
  guint frames, idle_frames;
  double idle_cpu_ms;
  gboolean pausing;
  gboolean finished;
  long rss_kib;
  guint mapped_labels;
  GPtrArray *hooked;   /* labels whose notify::label we watch, with their handler */
} Populate;

static double
at_ms (Populate *p, gint64 t)
{
  return t > 0 ? (t - p->t0) / 1e6 : -1;
}

static void
walk_labels (GtkWidget *widget,
             void     (*func) (GtkLabel *, gpointer),
             gpointer   data)
{
  if (GTK_IS_LABEL (widget))
    func (GTK_LABEL (widget), data);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk_labels (child, func, data);
}

static void
find_paused (GtkLabel *label, gpointer data)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (label)) &&
      g_strcmp0 (gtk_label_get_text (label), "Paused") == 0)
    *(gboolean *) data = TRUE;
}

static void
count_mapped (GtkLabel *label, gpointer data)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (label)))
    (*(guint *) data)++;
}

static gboolean
finish (gpointer data)
{
  Populate *p = data;

  if (p->finished)
    return G_SOURCE_REMOVE;
  p->finished = TRUE;
  g_print ("{\"main_ms\": %.3f, \"startup_ms\": %.3f, \"activate_ms\": %.3f, "
           "\"window_ms\": %.3f, \"realized_ms\": %.3f, \"mapped_ms\": %.3f, "
           "\"first_paint_ms\": %.3f, \"connected_ms\": %.3f, \"full_ms\": %.3f, "
           "\"full_paint_ms\": %.3f, \"items\": %u, \"mapped_labels\": %u, "
           "\"frames\": %u, \"idle_frames\": %u, \"idle_cpu_ms\": %.1f, "
           "\"rss_kib\": %ld, \"pause_reply_ms\": %.3f, "
           "\"pause_label_ms\": %.3f, \"pause_paint_ms\": %.3f}\n",
           at_ms (p, p->t_main), at_ms (p, p->t_startup), at_ms (p, p->t_activate),
           at_ms (p, p->t_window), at_ms (p, p->t_realized), at_ms (p, p->t_mapped),
           at_ms (p, p->t_first_paint), at_ms (p, p->t_connected), at_ms (p, p->t_full),
           at_ms (p, p->t_full_paint),
           p->machines != NULL ? g_list_model_get_n_items (p->machines) : 0,
           p->mapped_labels, p->frames, p->idle_frames, p->idle_cpu_ms, p->rss_kib,
           p->t_pause_reply > 0 ? (p->t_pause_reply - p->t_pause_call) / 1e6 : -1,
           p->t_label > 0 ? (p->t_label - p->t_pause_call) / 1e6 : -1,
           p->t_label_paint > 0 ? (p->t_label_paint - p->t_pause_call) / 1e6 : -1);
  fflush (stdout);
  g_application_quit (p->app);
  return G_SOURCE_REMOVE;
}

static void
on_label_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  Populate *p = data;

  if (p->pausing && p->t_label == 0 &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (object)), "Paused") == 0)
    p->t_label = now_ns ();
}

static void
hook_label (GtkLabel *label, gpointer data)
{
  Populate *p = data;

  g_ptr_array_add (p->hooked, g_object_ref (label));
  g_signal_connect (label, "notify::label", G_CALLBACK (on_label_notify), p);
}

static void
on_pause_reply (GObject *source, GAsyncResult *result, gpointer data)
{
  Populate *p = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                            result, &error);

  if (reply == NULL)
    {
      g_printerr ("populate: Pause: %s\n", error->message);
      g_idle_add (finish, p);
      return;
    }
  p->t_pause_reply = now_ns ();
}

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static gboolean
start_pause (gpointer data)
{
  Populate *p = data;

  /* What the idle second cost: frames painted and CPU used. */
  p->idle_frames = p->frames - p->idle_frames;
  p->idle_cpu_ms = cpu_ms () - p->idle_cpu_ms;
  p->rss_kib = rss_kib (getpid ());
  walk_labels (p->window, count_mapped, &p->mapped_labels);
  if (g_str_equal (p->machine_path, "-"))
    {
      finish (p);
      return G_SOURCE_REMOVE;
    }
  walk_labels (p->window, hook_label, p);
  p->pausing = TRUE;
  p->t_pause_call = now_ns ();
  g_dbus_connection_call (g_application_get_dbus_connection (p->app), BUS_NAME,
                          p->machine_path, MACHINE_IFACE, "Pause", NULL, NULL,
                          G_DBUS_CALL_FLAGS_NONE, 10000, NULL, on_pause_reply, p);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *clock, gpointer data)
{
  Populate *p = data;
  gint64 t = now_ns ();

  p->frames++;
  if (p->t_first_paint == 0)
    p->t_first_paint = t;
  if (p->t_full > 0 && p->t_full_paint == 0)
    {
      p->t_full_paint = t;
      p->idle_frames = p->frames;
      p->idle_cpu_ms = cpu_ms ();
      /* Idle for a second, then the memory and the row update. */
      g_timeout_add (1000, start_pause, p);
    }
  if (p->pausing && p->t_label_paint == 0)
    {
      gboolean found = FALSE;

      walk_labels (p->window, find_paused, &found);
      if (found)
        {
          if (p->t_label == 0)   /* a row made anew, not a label changed */
            p->t_label = t;
          p->t_label_paint = t;
          g_idle_add (finish, p);
        }
    }
}

static void
on_realize (GtkWidget *window, gpointer data)
{
  ((Populate *) data)->t_realized = now_ns ();
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), data);
}

static void
on_map (GtkWidget *window, gpointer data)
{
  Populate *p = data;

  if (p->t_mapped == 0)
    p->t_mapped = now_ns ();
}

static void
check_full (Populate *p)
{
  if (p->t_full == 0 && g_list_model_get_n_items (p->machines) >= p->count)
    {
      p->t_full = now_ns ();
      gtk_widget_queue_draw (p->window);   /* so that a frame follows even if idle */
    }
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added,
                  gpointer data)
{
  check_full (data);
}

static void
on_status (GObject *connection, GParamSpec *pspec, gpointer data)
{
  Populate *p = data;

  if (p->t_connected == 0 &&
      hangar_connection_get_status (HANGAR_CONNECTION (connection)) ==
      HANGAR_CONNECTION_STATUS_CONNECTED)
    p->t_connected = now_ns ();
}

static void
on_window_added (GtkApplication *app, GtkWindow *window, gpointer data)
{
  Populate *p = data;
  HangarConnection *connection;

  if (p->window != NULL || !HANGAR_IS_WINDOW (window))
    return;
  p->t_window = now_ns ();
  p->window = GTK_WIDGET (window);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), p);
  g_signal_connect (window, "map", G_CALLBACK (on_map), p);
  connection = hangar_window_get_connection (HANGAR_WINDOW (window));
  g_signal_connect (connection, "notify::status", G_CALLBACK (on_status), p);
  p->machines = G_LIST_MODEL (hangar_connection_get_machines (connection));
  g_signal_connect (p->machines, "items-changed", G_CALLBACK (on_items_changed), p);
  check_full (p);
}

static gboolean
on_timeout (gpointer data)
{
  Populate *p = data;

  g_printerr ("populate: timeout; status %d, %u of %u items\n",
              p->window ? (int) hangar_connection_get_status (
                hangar_window_get_connection (HANGAR_WINDOW (p->window))) : -1,
              p->machines ? g_list_model_get_n_items (p->machines) : 0, p->count);
  finish (p);
  return G_SOURCE_REMOVE;
}

static void
on_startup (GApplication *app, gpointer data)
{
  ((Populate *) data)->t_startup = now_ns ();   /* after the class handler (RUN_FIRST) */
}

static void
on_activate (GApplication *app, gpointer data)
{
  ((Populate *) data)->t_activate = now_ns ();  /* before the class handler (RUN_LAST) */
}

static int
run_window (int argc, char **argv, gint64 t0)
{
  Populate p = { 0 };
  g_autoptr(HangarApplication) app = NULL;
  int status;

  p.t_main = now_ns ();
  setlocale (LC_ALL, "");
  p.t0 = t0;
  p.count = (guint) atoi (argv[0]);
  p.machine_path = argv[1];
  p.hooked = g_ptr_array_new_with_free_func (g_object_unref);
  app = hangar_application_new ();
  p.app = G_APPLICATION (app);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), &p);
  g_signal_connect (app, "startup", G_CALLBACK (on_startup), &p);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), &p);
  g_timeout_add (atoi (argv[2]), on_timeout, &p);
  status = g_application_run (G_APPLICATION (app), 0, NULL);
  for (guint i = 0; i < p.hooked->len; i++)
    g_signal_handlers_disconnect_by_data (p.hooked->pdata[i], &p);
  g_ptr_array_unref (p.hooked);
  return status;
}

static int
cmd_populate (int argc, char **argv, char *self)
{
  const char *t0_text = g_getenv (T0_ENV);
  g_autofree char *t0_env = NULL;
  char **child_argv;
  char **child_env;
  pid_t pid;
  int status;

  if (argc < 3)
    {
      g_printerr ("usage: populate COUNT MACHINE_PATH TIMEOUT_MS\n");
      return 2;
    }
  if (t0_text != NULL)   /* the window process */
    return run_window (argc, argv, g_ascii_strtoll (t0_text, NULL, 10));

  child_argv = g_new0 (char *, argc + 3);
  child_argv[0] = self;
  child_argv[1] = (char *) "populate";
  memcpy (child_argv + 2, argv, argc * sizeof (char *));
  child_env = g_get_environ ();
  /* The origin: only the environment's one variable, posix_spawn and the exec
   * itself come after it. */
  t0_env = g_strdup_printf ("%" G_GINT64_FORMAT, now_ns ());
  child_env = g_environ_setenv (child_env, T0_ENV, t0_env, TRUE);
  if (posix_spawn (&pid, "/proc/self/exe", NULL, NULL, child_argv, child_env) != 0)
    {
      g_printerr ("populate: cannot re-execute: %s\n", g_strerror (errno));
      return 1;
    }
  g_strfreev (child_env);
  g_free (child_argv);
  if (waitpid (pid, &status, 0) != pid)
    return 1;
  return WIFEXITED (status) ? WEXITSTATUS (status) : 1;
}

/* ---- reap ---------------------------------------------------------------------- */

static volatile sig_atomic_t forwarded_signal;

static void
on_signal (int signum)
{
  forwarded_signal = signum;
}

static int
cmd_reap (int argc, char **argv)
{
  struct sigaction action = { .sa_handler = on_signal };
  int child_status = 0;
  pid_t child;

  if (argc < 1 || prctl (PR_SET_CHILD_SUBREAPER, 1) != 0)
    {
      g_printerr ("reap: usage: reap CMD ARG... (or no PR_SET_CHILD_SUBREAPER)\n");
      return 2;
    }
  child = fork ();
  if (child < 0)
    return 1;
  if (child == 0)
    {
      execvp (argv[0], argv);
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
            kill (child, forwarded_signal);
          forwarded_signal = 0;
          continue;
        }
      if (pid < 0)
        break;
      if (pid == child)
        {
          child_status = status;
          break;
        }
    }
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;
  if (WIFSIGNALED (child_status))
    return 128 + WTERMSIG (child_status);
  return WEXITSTATUS (child_status);
}

int
main (int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "reap"))
    return cmd_reap (argc - 2, argv + 2);
  if (argc >= 2 && g_str_equal (argv[1], "map-time"))
    return cmd_map_time (argc - 2, argv + 2);
  if (argc >= 2 && g_str_equal (argv[1], "spawn-engine"))
    return cmd_spawn_engine (argc - 2, argv + 2);
  if (argc >= 2 && g_str_equal (argv[1], "populate"))
    return cmd_populate (argc - 2, argv + 2, argv[0]);
  g_printerr ("usage: %s map-time|spawn-engine|populate ... (see the source)\n", argv[0]);
  return 2;
}
