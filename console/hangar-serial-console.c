/* hangar-serial-console.c: a guest's serial console in a terminal
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A VteTerminal (VTE for GTK 4) on a connected stream socket from
 * Machine1.OpenConsole ("serial"): what the guest writes is read asynchronously in
 * the main loop and fed to the terminal; what the person types (VteTerminal::commit)
 * is queued and written in order, never blocking the UI. End of stream or an error
 * ends the connection: the state says so, with the error when there was one, and
 * what is typed after that is dropped (hangar_serial_console_send () checks; VTE
 * 0.70's vte_terminal_set_input_enabled () touches its input method before the
 * terminal is realized, so it is not used). The terminal has no pty: the guest's
 * serial port is the other end.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <vte/vte.h>

#include "hangar-console-error.h"
#include "hangar-serial-console.h"

#define READ_SIZE 4096

struct _HangarSerialConsole
{
  GtkWidget                 parent_instance;

  GtkWidget                *terminal;
  GSocketConnection        *connection;
  GCancellable             *cancellable;
  GQueue                    pending;   /* GBytes to write, oldest first */
  gboolean                  writing;
  HangarSerialConsoleState  state;
  GError                   *error;
};

G_DEFINE_FINAL_TYPE (HangarSerialConsole, hangar_serial_console, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void read_more  (HangarSerialConsole *self);
static void write_next (HangarSerialConsole *self);

static void
end_connection (HangarSerialConsole *self,
                GError              *error)
{
  if (self->state == HANGAR_SERIAL_CONSOLE_DISCONNECTED)
    {
      g_clear_error (&error);
      return;
    }
  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->pending, (GDestroyNotify) g_bytes_unref);
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
  self->error = error;
  self->state = HANGAR_SERIAL_CONSOLE_DISCONNECTED;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  HangarSerialConsole *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (bytes == NULL)
    end_connection (self, g_steal_pointer (&error));
  else if (g_bytes_get_size (bytes) == 0)
    end_connection (self, g_error_new_literal (HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_CLOSED,
                                               _("The serial console was closed.")));
  else
    {
      vte_terminal_feed (VTE_TERMINAL (self->terminal),
                         g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      read_more (self);
    }
  g_object_unref (self);
}

static void
read_more (HangarSerialConsole *self)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (self->connection));

  g_input_stream_read_bytes_async (input, READ_SIZE, G_PRIORITY_DEFAULT, self->cancellable,
                                   on_read, g_object_ref (self));
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  HangarSerialConsole *self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        end_connection (self, g_steal_pointer (&error));
      g_object_unref (self);
      return;
    }
  g_bytes_unref (g_queue_pop_head (&self->pending));
  write_next (self);
  g_object_unref (self);
}

static void
write_next (HangarSerialConsole *self)
{
  GBytes *bytes = g_queue_peek_head (&self->pending);
  GOutputStream *output;

  if (self->writing || bytes == NULL || self->connection == NULL)
    return;
  self->writing = TRUE;
  output = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  g_output_stream_write_all_async (output, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), G_PRIORITY_DEFAULT,
                                   self->cancellable, on_written, g_object_ref (self));
}

/**
 * hangar_serial_console_send:
 * @text: bytes for the guest's serial port
 * @length: their length, or -1 for a NUL-terminated @text
 *
 * Queues @text for the guest, as if typed. Ignored when not connected.
 */
void
hangar_serial_console_send (HangarSerialConsole *self,
                            const char          *text,
                            gssize               length)
{
  g_return_if_fail (HANGAR_IS_SERIAL_CONSOLE (self));
  g_return_if_fail (text != NULL);

  if (self->state != HANGAR_SERIAL_CONSOLE_CONNECTED || self->connection == NULL)
    return;
  if (length < 0)
    length = strlen (text);
  if (length == 0)
    return;
  g_queue_push_tail (&self->pending, g_bytes_new (text, length));
  write_next (self);
}

static void
on_commit (HangarSerialConsole *self,
           const char          *text,
           guint                size,
           VteTerminal         *terminal)
{
  hangar_serial_console_send (self, text, size);
}

/**
 * hangar_serial_console_open_fd:
 * @fd: a connected stream socket; the console takes it
 */
void
hangar_serial_console_open_fd (HangarSerialConsole *self,
                               int                  fd)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HANGAR_IS_SERIAL_CONSOLE (self));
  g_return_if_fail (fd >= 0);
  g_return_if_fail (self->connection == NULL);

  socket = g_socket_new_from_fd (fd, &error);
  if (socket == NULL)
    {
      close (fd);
      end_connection (self, g_steal_pointer (&error));
      return;
    }
  self->connection = g_socket_connection_factory_create_connection (socket);
  self->state = HANGAR_SERIAL_CONSOLE_CONNECTED;
  g_clear_error (&self->error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  read_more (self);
}

HangarSerialConsoleState
hangar_serial_console_get_state (HangarSerialConsole *self)
{
  g_return_val_if_fail (HANGAR_IS_SERIAL_CONSOLE (self), HANGAR_SERIAL_CONSOLE_DISCONNECTED);

  return self->state;
}

/**
 * hangar_serial_console_get_error:
 *
 * Returns: (nullable): why the connection ended, when it ended badly
 */
const GError *
hangar_serial_console_get_error (HangarSerialConsole *self)
{
  g_return_val_if_fail (HANGAR_IS_SERIAL_CONSOLE (self), NULL);

  return self->error;
}

/**
 * hangar_serial_console_get_terminal:
 *
 * Returns: (transfer none): the VteTerminal
 */
GtkWidget *
hangar_serial_console_get_terminal (HangarSerialConsole *self)
{
  g_return_val_if_fail (HANGAR_IS_SERIAL_CONSOLE (self), NULL);

  return self->terminal;
}

GtkWidget *
hangar_serial_console_new (void)
{
  return g_object_new (HANGAR_TYPE_SERIAL_CONSOLE, NULL);
}

static void
hangar_serial_console_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HangarSerialConsole *self = HANGAR_SERIAL_CONSOLE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_serial_console_dispose (GObject *object)
{
  HangarSerialConsole *self = HANGAR_SERIAL_CONSOLE (object);

  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->pending, (GDestroyNotify) g_bytes_unref);
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->terminal, gtk_widget_unparent);

  G_OBJECT_CLASS (hangar_serial_console_parent_class)->dispose (object);
}

static void
hangar_serial_console_finalize (GObject *object)
{
  HangarSerialConsole *self = HANGAR_SERIAL_CONSOLE (object);

  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (hangar_serial_console_parent_class)->finalize (object);
}

static void
hangar_serial_console_class_init (HangarSerialConsoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hangar_serial_console_get_property;
  object_class->dispose = hangar_serial_console_dispose;
  object_class->finalize = hangar_serial_console_finalize;

  /* An int, not an enum type: the state has two values and no other user. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      HANGAR_SERIAL_CONSOLE_CONNECTED, HANGAR_SERIAL_CONSOLE_DISCONNECTED,
                      HANGAR_SERIAL_CONSOLE_DISCONNECTED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "serial-console");
}

static void
hangar_serial_console_init (HangarSerialConsole *self)
{
  self->cancellable = g_cancellable_new ();
  self->state = HANGAR_SERIAL_CONSOLE_DISCONNECTED;
  g_queue_init (&self->pending);

  self->terminal = vte_terminal_new ();
  vte_terminal_set_scrollback_lines (VTE_TERMINAL (self->terminal), 10000);
  gtk_widget_set_hexpand (self->terminal, TRUE);
  gtk_widget_set_vexpand (self->terminal, TRUE);
  gtk_widget_set_parent (self->terminal, GTK_WIDGET (self));
  g_signal_connect_object (self->terminal, "commit", G_CALLBACK (on_commit), self,
                           G_CONNECT_SWAPPED);
}
