/* hangar-console-view.c: a machine's screen in the Console tab
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Follows its machine's State and Pid: while QEMU runs it asks the engine for a
 * console (Machine1.OpenConsole: VNC, then SPICE, then serial), hands the fd to a
 * display widget from console/ (a SPICE display asks for one more fd per channel
 * through open_spice_fd), and shows a toolbar: Send Key, actual size, screenshot,
 * fullscreen, and a note while the keyboard is grabbed. When QEMU ends the view says
 * the machine is off and offers Run; a new QEMU (a new Pid) gets a new connection. A
 * guest reboot keeps the connection: QEMU's display server lives on.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixfdlist.h>
#include <string.h>
#include <unistd.h>

#include "hangar-console-view.h"
#include "hangar-consoles.h"
#include "hangar-display.h"
#include "hangar-domain-xml.h"
#include "hangar-ssh-transport.h"
#include "hangar-usb-list.h"

struct _HangarConsoleView
{
  GtkWidget           parent_instance;

  HangarDBusMachine1 *machine;
  GCancellable       *cancellable;   /* the pending OpenConsole; renewed per attempt */
  GtkWidget          *display;       /* a HangarDisplay, or NULL */
  guint               display_pid;   /* the QEMU the display is connected to */

  /* Template widgets */
  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *message_page;
  GtkWidget          *reconnect_button;
  GtkScrolledWindow  *scroller;
  GtkToggleButton    *one_to_one_button;
  GtkWidget          *send_key_button;
  GtkWidget          *screenshot_button;
  GtkWidget          *grab_label;
  GMenu              *function_keys_section;
  GtkOverlay         *display_overlay;
  GtkBox             *display_box;
  GtkRevealer        *toolbar_revealer;
  GtkWidget          *toolbar;
  GtkRevealer        *grab_osd_revealer;
  GtkWidget          *usb_button;
  HangarUsbList      *usb_list;

  /* Fullscreen: the toolbar floats over the screen and hides itself. */
  GtkWindow          *window;          /* followed for notify::fullscreened */
  gboolean            fullscreen;
  guint               toolbar_hide_id;
  guint               grab_osd_hide_id;
};

/* How long the floating toolbar and the grab note stay after they were last wanted. */
#define TOOLBAR_HIDE_MS 2000
#define GRAB_OSD_MS 3000
/* The pointer this close to the top edge brings the floating toolbar back. */
#define TOOLBAR_EDGE_PX 4

G_DEFINE_FINAL_TYPE (HangarConsoleView, hangar_console_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MACHINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void try_console (HangarConsoleView *self,
                         guint              kind_index);
static void on_grabbed  (HangarConsoleView *self);

/* Tried in this order; the first the machine has wins. */
static const char * const console_kinds[] = { "vnc", "spice", "serial" };

/* The spinner turns only where it is seen: in GTK 4.8 a spinning spinner keeps the
 * window's frame clock ticking even in a hidden tab, and the console tab is hidden
 * while the Performance or Details tab shows (60 frames a second for nothing). */
static void
update_spinner (HangarConsoleView *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  gtk_spinner_set_spinning (self->spinner, gtk_widget_get_mapped (GTK_WIDGET (self)) &&
                                           g_strcmp0 (page, "connecting") == 0);
}

static void
show_page (HangarConsoleView *self,
           const char        *page)
{
  gtk_stack_set_visible_child_name (self->stack, page);
  update_spinner (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.screenshot",
                                 g_str_equal (page, "display"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.send-key",
                                 g_str_equal (page, "display"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.fullscreen",
                                 g_str_equal (page, "display"));
}

static void
show_message (HangarConsoleView *self,
              const char        *title,
              const char        *description,
              gboolean           can_reconnect)
{
  adw_status_page_set_title (self->message_page, title);
  adw_status_page_set_description (self->message_page, description);
  gtk_widget_set_visible (self->reconnect_button, can_reconnect);
  show_page (self, "message");
}

static void
close_display (HangarConsoleView *self)
{
  if (self->display == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->display, self);
  gtk_scrolled_window_set_child (self->scroller, NULL);
  self->display = NULL;
  self->display_pid = 0;
  on_grabbed (self);
}

static gboolean
machine_runs (HangarConsoleView *self)
{
  const char *state;

  if (self->machine == NULL)
    return FALSE;
  state = hangar_dbus_machine1_get_state (self->machine);
  return hangar_dbus_machine1_get_pid (self->machine) != 0 &&
         (g_strcmp0 (state, "running") == 0 || g_strcmp0 (state, "paused") == 0 ||
          g_strcmp0 (state, "shutting-down") == 0);
}

/* ---- the display -------------------------------------------------------------------- */

/* Whether the display (screen or serial console) still talks to its QEMU. */
static gboolean
display_connected (HangarConsoleView *self)
{
  if (self->display == NULL)
    return FALSE;
  if (hangar_consoles_is_serial (self->display))
    return hangar_consoles_serial_is_connected (self->display);
  return hangar_display_get_state (HANGAR_DISPLAY (self->display)) !=
         HANGAR_DISPLAY_DISCONNECTED;
}

/* A screen's tools make no sense on a serial console. */
static void
update_tools (HangarConsoleView *self)
{
  gboolean screen = self->display != NULL && HANGAR_IS_DISPLAY (self->display);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.screenshot", screen);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.send-key", screen);
  gtk_widget_set_visible (GTK_WIDGET (self->one_to_one_button), screen);
  gtk_widget_set_visible (self->send_key_button, screen);
  gtk_widget_set_visible (self->screenshot_button, screen);
}

static void
on_serial_state (HangarConsoleView *self)
{
  const GError *error = hangar_consoles_serial_get_error (self->display);

  if (hangar_consoles_serial_is_connected (self->display))
    {
      show_page (self, "display");
      update_tools (self);
      return;
    }
  /* QEMU going away ends the connection too: that is the machine stopping. */
  if (machine_runs (self))
    show_message (self, _("The Serial Connection Ended"),
                  error != NULL ? error->message : NULL, TRUE);
}

static void
on_display_state (HangarConsoleView *self)
{
  HangarDisplay *display = HANGAR_DISPLAY (self->display);

  switch (hangar_display_get_state (display))
    {
    case HANGAR_DISPLAY_CONNECTED:
      show_page (self, "display");
      update_tools (self);
      break;
    case HANGAR_DISPLAY_DISCONNECTED:
      {
        const GError *error = hangar_display_get_error (display);

        /* QEMU going away ends the connection too: that is the machine stopping. */
        if (!machine_runs (self))
          break;
        show_message (self, _("The Screen Connection Ended"),
                      error != NULL ? error->message : NULL, TRUE);
      }
      break;
    case HANGAR_DISPLAY_CONNECTING:
    default:
      show_page (self, "connecting");
      break;
    }
}

static gboolean
hide_grab_osd (gpointer user_data)
{
  HangarConsoleView *self = user_data;

  self->grab_osd_hide_id = 0;
  gtk_revealer_set_reveal_child (self->grab_osd_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

/* The toolbar says it while the keyboard is grabbed; a note over the screen says how
 * to get it back for a few seconds after the grab begins. */
static void
on_grabbed (HangarConsoleView *self)
{
  gboolean grabbed = self->display != NULL && HANGAR_IS_DISPLAY (self->display) &&
                     hangar_display_get_grabbed (HANGAR_DISPLAY (self->display));

  gtk_widget_set_visible (self->grab_label, grabbed);
  g_clear_handle_id (&self->grab_osd_hide_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->grab_osd_revealer, grabbed);
  if (grabbed)
    self->grab_osd_hide_id = g_timeout_add (GRAB_OSD_MS, hide_grab_osd, self);
}

/* ---- fullscreen ----------------------------------------------------------------------- */

static gboolean
hide_toolbar (gpointer user_data)
{
  HangarConsoleView *self = user_data;

  self->toolbar_hide_id = 0;
  /* Not while a menu of it is open or the pointer is on it. */
  if (gtk_widget_get_state_flags (self->toolbar) & GTK_STATE_FLAG_PRELIGHT)
    return G_SOURCE_CONTINUE;
  gtk_revealer_set_reveal_child (self->toolbar_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

static void
show_toolbar_for_a_while (HangarConsoleView *self)
{
  gtk_revealer_set_reveal_child (self->toolbar_revealer, TRUE);
  g_clear_handle_id (&self->toolbar_hide_id, g_source_remove);
  if (self->fullscreen)
    self->toolbar_hide_id = g_timeout_add (TOOLBAR_HIDE_MS, hide_toolbar, self);
}

static void
on_pointer_motion (HangarConsoleView *self,
                   double             x,
                   double             y)
{
  if (self->fullscreen && y <= TOOLBAR_EDGE_PX)
    show_toolbar_for_a_while (self);
}

/* Windowed, the toolbar sits above the screen; fullscreen, it floats over it (so the
 * screen keeps its size when it comes and goes) and hides itself. */
static void
on_fullscreened (HangarConsoleView *self)
{
  gboolean fullscreen = self->window != NULL && gtk_window_is_fullscreen (self->window);
  GtkWidget *revealer = GTK_WIDGET (self->toolbar_revealer);

  if (fullscreen == self->fullscreen)
    return;
  self->fullscreen = fullscreen;

  g_object_ref (revealer);
  if (fullscreen)
    {
      gtk_box_remove (self->display_box, revealer);
      gtk_widget_set_valign (revealer, GTK_ALIGN_START);
      gtk_overlay_add_overlay (self->display_overlay, revealer);
      gtk_widget_add_css_class (self->toolbar, "osd");
    }
  else
    {
      gtk_overlay_remove_overlay (self->display_overlay, revealer);
      gtk_widget_set_valign (revealer, GTK_ALIGN_FILL);
      gtk_box_prepend (self->display_box, revealer);
      gtk_widget_remove_css_class (self->toolbar, "osd");
    }
  g_object_unref (revealer);

  gtk_button_set_icon_name (GTK_BUTTON (gtk_widget_get_last_child (self->toolbar)),
                            fullscreen ? "view-restore-symbolic" : "view-fullscreen-symbolic");
  gtk_widget_set_tooltip_text (gtk_widget_get_last_child (self->toolbar),
                               fullscreen ? _("Leave Fullscreen") : _("Fullscreen"));
  show_toolbar_for_a_while (self);
}

static void
hangar_console_view_root (GtkWidget *widget)
{
  HangarConsoleView *self = HANGAR_CONSOLE_VIEW (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (hangar_console_view_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      self->window = GTK_WINDOW (root);
      g_signal_connect_object (root, "notify::fullscreened", G_CALLBACK (on_fullscreened), self,
                               G_CONNECT_SWAPPED);
      on_fullscreened (self);
    }
}

static void
hangar_console_view_unroot (GtkWidget *widget)
{
  HangarConsoleView *self = HANGAR_CONSOLE_VIEW (widget);

  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  self->window = NULL;
  on_fullscreened (self);

  GTK_WIDGET_CLASS (hangar_console_view_parent_class)->unroot (widget);
}

static void
apply_scale (HangarConsoleView *self)
{
  gboolean one_to_one = gtk_toggle_button_get_active (self->one_to_one_button);
  GtkPolicyType policy = one_to_one ? GTK_POLICY_AUTOMATIC : GTK_POLICY_NEVER;

  if (hangar_consoles_is_serial (self->display))
    {
      /* The terminal scrolls its own history. */
      gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      return;
    }
  gtk_scrolled_window_set_policy (self->scroller, policy, policy);
  if (self->display != NULL)
    hangar_display_set_scale (HANGAR_DISPLAY (self->display),
                              one_to_one ? HANGAR_DISPLAY_SCALE_ONE_TO_ONE
                                         : HANGAR_DISPLAY_SCALE_FIT);
}

static void
on_scale_toggled (HangarConsoleView *self)
{
  apply_scale (self);
}

static void
on_spice_fd_opened (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) handle = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  if (!hangar_dbus_machine1_call_open_console_finish (HANGAR_DBUS_MACHINE1 (source), &handle,
                                                      &fds, result, &error))
    {
      g_dbus_error_strip_remote_error (error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error);
  if (fd < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, fd);
}

static void
on_remote_spice_fd_opened (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  int fd;

  fd = hangar_ssh_transport_open_console_finish (HANGAR_SSH_TRANSPORT (source), result, &error);
  if (fd < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, fd);
}

/* A SPICE display's further channels: each asks the engine for another socket, or
 * on a remote host runs another ssh channel. */
static void
open_spice_fd (HangarSpiceConnection *connection,
               GTask                 *task,
               gpointer               user_data)
{
  HangarDBusMachine1 *machine = user_data;
  HangarSshTransport *transport = hangar_ssh_transport_for_proxy (G_DBUS_PROXY (machine));

  if (transport != NULL)
    hangar_ssh_transport_open_console_async (transport, hangar_dbus_machine1_get_uuid (machine),
                                             "spice", g_task_get_cancellable (task),
                                             on_remote_spice_fd_opened, task);
  else
    hangar_dbus_machine1_call_open_console (machine, "spice", NULL,
                                            g_task_get_cancellable (task), on_spice_fd_opened,
                                            task);
}

static void show_console (HangarConsoleView *self,
                          const char        *kind,
                          int                fd);

static void
on_console_opened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HangarConsoleView) self = user_data;
  guint kind_index;
  g_autoptr(GVariant) handle = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *remote = NULL;
  const char *kind;
  int fd;

  kind_index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "trying-kind"));
  kind = console_kinds[kind_index];
  if (!hangar_dbus_machine1_call_open_console_finish (HANGAR_DBUS_MACHINE1 (source), &handle,
                                                      &fds, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      remote = g_dbus_error_get_remote_error (error);
      if (g_strcmp0 (remote, "io.github.hangarvm.Hangar.Error.NotFound") == 0 &&
          kind_index + 1 < G_N_ELEMENTS (console_kinds))
        {
          try_console (self, kind_index + 1);
          return;
        }
      g_dbus_error_strip_remote_error (error);
      if (!machine_runs (self))
        return;
      show_message (self, _("No Screen"), error->message, TRUE);
      return;
    }

  fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error);
  if (fd < 0)
    {
      show_message (self, _("No Screen"), error->message, TRUE);
      return;
    }
  show_console (self, kind, fd);
}

static void
on_remote_console_opened (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(HangarConsoleView) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *kind = g_object_get_data (source, "hangar-console-kind");
  int fd;

  fd = hangar_ssh_transport_open_console_finish (HANGAR_SSH_TRANSPORT (source), result, &error);
  if (fd < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && machine_runs (self))
        show_message (self, _("No Screen"), error->message, TRUE);
      return;
    }
  show_console (self, kind, fd);
}

static void
show_console (HangarConsoleView *self,
              const char        *kind,
              int                fd)
{
  g_autoptr(GError) error = NULL;

  close_display (self);
  self->display_pid = hangar_dbus_machine1_get_pid (self->machine);
  /* SPICE opens a socket per channel: each further one is another OpenConsole. */
  self->display = hangar_consoles_new (kind, open_spice_fd, g_object_ref (self->machine),
                                       g_object_unref, &error);
  if (self->display == NULL)
    {
      close (fd);
      show_message (self, _("The Console Cannot Be Shown"), error->message, FALSE);
      return;
    }
  if (hangar_consoles_is_serial (self->display))
    {
      GtkWidget *terminal = hangar_consoles_serial_get_terminal (self->display);

      gtk_scrolled_window_set_child (self->scroller, self->display);
      g_signal_connect_object (self->display, "notify::state", G_CALLBACK (on_serial_state),
                               self, G_CONNECT_SWAPPED);
      apply_scale (self);
      hangar_consoles_open_fd (self->display, fd);
      /* A shell waits quietly: a Return makes it show its prompt. */
      hangar_consoles_serial_send (self->display, "\r", 1);
      /* Typed into at once when the tab shows, else when it is shown (map): a
       * terminal focused in a hidden tab blinks its cursor at every frame. */
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        gtk_widget_grab_focus (terminal);
      return;
    }

  gtk_widget_set_hexpand (self->display, TRUE);
  gtk_widget_set_vexpand (self->display, TRUE);
  gtk_scrolled_window_set_child (self->scroller, self->display);
  g_signal_connect_object (self->display, "notify::state", G_CALLBACK (on_display_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->display, "notify::grabbed", G_CALLBACK (on_grabbed), self,
                           G_CONNECT_SWAPPED);
  apply_scale (self);
  hangar_consoles_open_fd (self->display, fd);
  on_display_state (self);
}

/* A remote machine's definition, read to choose its console. */
static void
on_remote_xml (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HangarConsoleView) self = user_data;
  HangarSshTransport *transport;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  const char *kind;

  if (!hangar_dbus_machine1_call_get_xml_finish (HANGAR_DBUS_MACHINE1 (source), &xml, result,
                                                 &error) ||
      (doc = hangar_domain_xml_parse (xml, &error)) == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_dbus_error_strip_remote_error (error);
      if (machine_runs (self))
        show_message (self, _("No Screen"), error->message, TRUE);
      return;
    }
  if (HANGAR_DBUS_MACHINE1 (source) != self->machine)
    return;
  kind = hangar_domain_xml_console_kind (doc);
  transport = hangar_ssh_transport_for_proxy (G_DBUS_PROXY (self->machine));
  if (kind == NULL || transport == NULL)
    {
      show_message (self, _("No Screen"),
                    kind == NULL ? _("The machine has no display and no serial port.")
                                 : _("The connection to the host was lost."),
                    kind != NULL);
      return;
    }
  g_object_set_data (G_OBJECT (transport), "hangar-console-kind", (gpointer) kind);
  hangar_ssh_transport_open_console_async (transport,
                                           hangar_dbus_machine1_get_uuid (self->machine),
                                           kind, self->cancellable,
                                           on_remote_console_opened, g_object_ref (self));
}

static void
try_console (HangarConsoleView *self,
             guint              kind_index)
{
  /* No fd crosses the ssh pipe, and no "not found" comes back through a console channel:
   * a remote console is an ssh channel of its own, to the kind the definition offers. */
  if (hangar_ssh_transport_for_proxy (G_DBUS_PROXY (self->machine)) != NULL)
    {
      hangar_dbus_machine1_call_get_xml (self->machine, self->cancellable, on_remote_xml,
                                         g_object_ref (self));
      return;
    }

  g_object_set_data (G_OBJECT (self), "trying-kind", GUINT_TO_POINTER (kind_index));
  hangar_dbus_machine1_call_open_console (self->machine, console_kinds[kind_index], NULL,
                                          self->cancellable, on_console_opened,
                                          g_object_ref (self));
}

/* Connects, reconnects or shows the machine off, as its state says. */
static void
sync_with_machine (HangarConsoleView *self)
{
  if (!machine_runs (self))
    {
      g_cancellable_cancel (self->cancellable);
      close_display (self);
      show_page (self, "off");
      return;
    }

  /* Connected to this very QEMU already, or on the way to it. */
  if (self->display_pid == hangar_dbus_machine1_get_pid (self->machine) &&
      display_connected (self))
    return;
  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "connecting") &&
      self->display == NULL && !g_cancellable_is_cancelled (self->cancellable))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  close_display (self);
  show_page (self, "connecting");
  try_console (self, 0);
}

/* ---- actions ------------------------------------------------------------------------ */

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HangarConsoleView *self = HANGAR_CONSOLE_VIEW (widget);

  close_display (self);
  g_cancellable_cancel (self->cancellable);
  sync_with_machine (self);
}

static void
send_key_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HangarConsoleView *self = HANGAR_CONSOLE_VIEW (widget);
  const char *keys = g_variant_get_string (parameter, NULL);
  guint keyvals[3] = { GDK_KEY_Control_L, GDK_KEY_Alt_L, 0 };
  gsize n = 3;

  if (self->display == NULL || !HANGAR_IS_DISPLAY (self->display))
    return;
  if (g_str_equal (keys, "ctrl-alt-delete"))
    keyvals[2] = GDK_KEY_Delete;
  else if (g_str_equal (keys, "ctrl-alt-backspace"))
    keyvals[2] = GDK_KEY_BackSpace;
  else if (g_str_equal (keys, "print"))
    {
      keyvals[0] = GDK_KEY_Print;
      n = 1;
    }
  else if (g_str_has_prefix (keys, "ctrl-alt-f"))
    {
      guint number = g_ascii_strtoull (keys + strlen ("ctrl-alt-f"), NULL, 10);

      if (number < 1 || number > 12)
        return;
      keyvals[2] = GDK_KEY_F1 + number - 1;
    }
  else
    return;
  hangar_display_send_keys (HANGAR_DISPLAY (self->display), keyvals, n);
  gtk_widget_grab_focus (self->display);
}

static void
on_screenshot_saved (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(HangarConsoleView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hangar_display_save_screenshot_finish (HANGAR_DISPLAY (source), result, &error))
    {
      GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_WINDOW);
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (window),
                                                  _("The Screenshot Was Not Saved"),
                                                  error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
on_screenshot_file (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(HangarConsoleView) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT && self->display != NULL && HANGAR_IS_DISPLAY (self->display))
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      hangar_display_save_screenshot_async (HANGAR_DISPLAY (self->display), file, NULL,
                                            on_screenshot_saved, g_object_ref (self));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
screenshot_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HangarConsoleView *self = HANGAR_CONSOLE_VIEW (widget);
  GtkWidget *window = gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW);
  GtkFileChooserNative *dialog;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H-%M-%S");
  /* Translators: a screenshot's file name: the machine's name and the time */
  g_autofree char *name = g_strdup_printf (_("%s %s.png"),
                                           hangar_dbus_machine1_get_name (self->machine), stamp);

  if (self->display == NULL || !HANGAR_IS_DISPLAY (self->display))
    return;
  dialog = gtk_file_chooser_native_new (_("Save Screenshot"), GTK_WINDOW (window),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_screenshot_file), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
fullscreen_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW));

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

/* ---- object --------------------------------------------------------------------------- */

HangarDBusMachine1 *
hangar_console_view_get_machine (HangarConsoleView *self)
{
  g_return_val_if_fail (HANGAR_IS_CONSOLE_VIEW (self), NULL);

  return self->machine;
}

void
hangar_console_view_set_machine (HangarConsoleView  *self,
                                 HangarDBusMachine1 *machine)
{
  gboolean same_machine;

  g_return_if_fail (HANGAR_IS_CONSOLE_VIEW (self));

  if (self->machine == machine)
    return;
  /* The same machine from a restarted engine: a console connected to its QEMU
   * goes on (sync_with_machine () keeps it while the Pid is the same). */
  same_machine = self->machine != NULL && machine != NULL &&
                 g_str_equal (g_dbus_proxy_get_object_path (G_DBUS_PROXY (self->machine)),
                              g_dbus_proxy_get_object_path (G_DBUS_PROXY (machine)));
  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  if (!same_machine)
    {
      g_cancellable_cancel (self->cancellable);
      close_display (self);
    }
  g_set_object (&self->machine, machine);
  if (machine != NULL)
    {
      g_signal_connect_object (machine, "notify::state", G_CALLBACK (sync_with_machine), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (machine, "notify::pid", G_CALLBACK (sync_with_machine), self,
                               G_CONNECT_SWAPPED);
    }
  sync_with_machine (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MACHINE]);
}

/**
 * hangar_console_view_get_display:
 *
 * Returns: (transfer none) (nullable): the display widget while there is one
 */
GtkWidget *
hangar_console_view_get_display (HangarConsoleView *self)
{
  g_return_val_if_fail (HANGAR_IS_CONSOLE_VIEW (self), NULL);

  return self->display;
}

/* The USB menu asks the engine afresh each time it opens. */
static void
on_usb_popover_show (HangarConsoleView *self)
{
  hangar_usb_list_set_machine (self->usb_list, self->machine);
  hangar_usb_list_refresh (self->usb_list);
}

/**
 * hangar_console_view_set_usb_host:
 *
 * The engine's host the machine runs on: its USB devices are the USB menu's.
 */
void
hangar_console_view_set_usb_host (HangarConsoleView *self,
                                  HangarDBusHost1   *host)
{
  g_return_if_fail (HANGAR_IS_CONSOLE_VIEW (self));

  hangar_usb_list_set_host (self->usb_list, host);
}

static void
hangar_console_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HangarConsoleView *self = HANGAR_CONSOLE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_console_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HangarConsoleView *self = HANGAR_CONSOLE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      hangar_console_view_set_machine (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_console_view_dispose (GObject *object)
{
  HangarConsoleView *self = HANGAR_CONSOLE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  close_display (self);
  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  g_clear_handle_id (&self->toolbar_hide_id, g_source_remove);
  g_clear_handle_id (&self->grab_osd_hide_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_CONSOLE_VIEW);
  g_clear_object (&self->machine);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hangar_console_view_parent_class)->dispose (object);
}

static void
hangar_console_view_map (GtkWidget *widget)
{
  HangarConsoleView *self = HANGAR_CONSOLE_VIEW (widget);

  GTK_WIDGET_CLASS (hangar_console_view_parent_class)->map (widget);
  update_spinner (self);
  if (hangar_consoles_is_serial (self->display))
    gtk_widget_grab_focus (hangar_consoles_serial_get_terminal (self->display));
}

static void
hangar_console_view_unmap (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* GTK 4.8 leaves the focus on a widget of a tab that is no longer shown: a
   * terminal would go on blinking its cursor, a frame at a time, unseen. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, widget))
    gtk_root_set_focus (root, NULL);
  GTK_WIDGET_CLASS (hangar_console_view_parent_class)->unmap (widget);
  update_spinner (HANGAR_CONSOLE_VIEW (widget));
}

static void
hangar_console_view_class_init (HangarConsoleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hangar_console_view_get_property;
  object_class->set_property = hangar_console_view_set_property;
  object_class->dispose = hangar_console_view_dispose;
  widget_class->root = hangar_console_view_root;
  widget_class->unroot = hangar_console_view_unroot;
  widget_class->map = hangar_console_view_map;
  widget_class->unmap = hangar_console_view_unmap;

  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL, HANGAR_DBUS_TYPE_MACHINE1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               HANGAR_RESOURCE_PATH "/ui/hangar-console-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, stack);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, spinner);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, message_page);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, reconnect_button);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, scroller);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, one_to_one_button);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, send_key_button);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, screenshot_button);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, grab_label);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, function_keys_section);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, display_overlay);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, display_box);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, toolbar_revealer);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, usb_button);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, usb_list);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_usb_popover_show",
                                                G_CALLBACK (on_usb_popover_show));
  g_type_ensure (HANGAR_TYPE_USB_LIST);
  gtk_widget_class_bind_template_child (widget_class, HangarConsoleView, grab_osd_revealer);
  gtk_widget_class_bind_template_callback (widget_class, on_scale_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_pointer_motion);

  gtk_widget_class_install_action (widget_class, "console.reconnect", NULL, reconnect_action);
  gtk_widget_class_install_action (widget_class, "console.send-key", "s", send_key_action);
  gtk_widget_class_install_action (widget_class, "console.screenshot", NULL, screenshot_action);
  gtk_widget_class_install_action (widget_class, "console.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "console.fullscreen", NULL);
}

static void
hangar_console_view_init (HangarConsoleView *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 1; i <= 12; i++)
    {
      g_autofree char *label = g_strdup_printf ("Ctrl+Alt+F%u", i);
      g_autofree char *target = g_strdup_printf ("ctrl-alt-f%u", i);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "console.send-key", "s", target);
      g_menu_append_item (self->function_keys_section, item);
    }
  show_page (self, "off");
}
