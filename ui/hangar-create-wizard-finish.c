/* hangar-create-wizard-finish.c: making the image and the machine, and starting it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Create: the image first, as an engine job with a progress bar and Stop (a stopped
 * or failed job leaves no file); then CreateMachine with everything the pages
 * chose; then Start, unless the person asked to customize first. The name was
 * checked on the summary page before anything is made, so a refused name leaves
 * nothing behind. The main window gets the new machine through
 * HangarCreateWizard::machine-created and opens it.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-create-wizard-private.h"

static const char * const preallocations[] = { "off", "metadata", "falloc", "full" };

static void create_machine (HangarCreateWizard *self);

/* Back to the page where what failed was chosen, saying why. */
static void
refuse_on (HangarCreateWizard *self,
           const char         *page,
           GtkLabel           *label,
           const char         *message)
{
  g_clear_object (&self->job);
  _hangar_create_wizard_set_busy (self, FALSE);
  _hangar_create_wizard_show_page (self, page);
  _hangar_create_wizard_say (label, HANGAR_CHECK_ERROR, message);
}

static void
refuse_image (HangarCreateWizard *self,
              const char         *message)
{
  if (_hangar_create_wizard_get_source (self) == HANGAR_SOURCE_IMPORT)
    refuse_on (self, "source", self->source_error, message);
  else
    refuse_on (self, "storage", self->storage_note, message);
}

static void
done (HangarCreateWizard *self,
      const char         *machine_path,
      gboolean            started,
      const char         *error_message)
{
  g_signal_emit_by_name (self, "machine-created", machine_path, started, error_message);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* ---- the image job ------------------------------------------------------------- */

static void
update_progress (HangarCreateWizard *self)
{
  double progress = hangar_dbus_job1_get_progress (self->job);
  g_autofree char *text = g_strdup_printf ("%.0f %%", progress * 100);

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress, 0, 1));
  gtk_progress_bar_set_text (self->progress_bar, text);
  if (hangar_dbus_job1_get_description (self->job) != NULL)
    adw_status_page_set_description (self->progress_page,
                                     hangar_dbus_job1_get_description (self->job));
}

static void
on_job_state (HangarCreateWizard *self)
{
  const char *state = hangar_dbus_job1_get_state (self->job);

  if (g_strcmp0 (state, "completed") == 0)
    {
      g_free (self->image_path);
      self->image_path = g_strdup (hangar_dbus_job1_get_result (self->job));
      g_signal_handlers_disconnect_by_data (self->job, self);
      g_clear_object (&self->job);
      gtk_progress_bar_set_fraction (self->progress_bar, 1);
      create_machine (self);
    }
  else if (g_strcmp0 (state, "failed") == 0)
    {
      g_autofree char *message = g_strdup (hangar_dbus_job1_get_error (self->job));

      g_signal_handlers_disconnect_by_data (self->job, self);
      refuse_image (self, message);
    }
  else if (g_strcmp0 (state, "cancelled") == 0)
    {
      g_signal_handlers_disconnect_by_data (self->job, self);
      refuse_image (self, _("Stopped. The unfinished image was removed."));
    }
}

static void
on_job_proxy (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HangarCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  HangarDBusJob1 *job = hangar_dbus_job1_proxy_new_finish (result, &error);

  if (job == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        refuse_image (self, error->message);
      return;
    }
  self->job = job;
  g_signal_connect_object (job, "notify::progress", G_CALLBACK (update_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::description", G_CALLBACK (update_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::state", G_CALLBACK (on_job_state), self,
                           G_CONNECT_SWAPPED);
  update_progress (self);
  on_job_state (self);
}

static void
on_volume_created (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HangarCreateWizard) self = user_data;
  g_autofree char *job_path = NULL;
  g_autoptr(GError) error = NULL;
  GDBusProxy *host = G_DBUS_PROXY (source);

  if (!hangar_dbus_host1_call_create_volume_finish (HANGAR_DBUS_HOST1 (source), &job_path,
                                                    result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = _hangar_create_wizard_remote_message (error);

          refuse_image (self, message);
        }
      return;
    }

  _hangar_create_wizard_show_page (self, "progress");
  hangar_dbus_job1_proxy_new (g_dbus_proxy_get_connection (host), G_DBUS_PROXY_FLAGS_NONE,
                              g_dbus_proxy_get_name (host), job_path, self->cancellable,
                              on_job_proxy, g_object_ref (self));
}

static void
create_volume (HangarCreateWizard *self)
{
  g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  const char *name = _hangar_create_wizard_text (self->name_entry);

  /* The engine names the file after the machine, in its image folder. */
  g_variant_builder_add (&options, "{sv}", "for-machine", g_variant_new_string (name));
  g_variant_builder_add (&options, "{sv}", "format", g_variant_new_string ("qcow2"));
  if (_hangar_create_wizard_get_source (self) == HANGAR_SOURCE_IMPORT)
    g_variant_builder_add (&options, "{sv}", "source",
                           g_variant_new_string (_hangar_create_wizard_text (self->import_entry)));
  else
    {
      guint selected = adw_combo_row_get_selected (self->preallocation_row);
      guint64 size = gtk_spin_button_get_value (self->disk_size_spin) * (1 << 30);

      g_variant_builder_add (&options, "{sv}", "size", g_variant_new_uint64 (size));
      g_variant_builder_add (&options, "{sv}", "preallocation",
                             g_variant_new_string (preallocations[MIN (selected, 3)]));
    }

  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  adw_status_page_set_title (self->progress_page, _("Creating the Disk Image"));
  adw_status_page_set_description (self->progress_page, NULL);
  gtk_widget_set_visible (self->progress_cancel_button, TRUE);
  hangar_dbus_host1_call_create_volume (self->host, g_variant_builder_end (&options),
                                        self->cancellable, on_volume_created,
                                        g_object_ref (self));
}

void
_hangar_create_wizard_cancel_job (HangarCreateWizard *self)
{
  if (self->job == NULL)
    return;
  gtk_widget_set_sensitive (self->progress_cancel_button, FALSE);
  hangar_dbus_job1_call_cancel (self->job, self->cancellable, NULL, NULL);
}

/* ---- the machine ----------------------------------------------------------------- */

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HangarCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (source));

  if (!hangar_dbus_machine1_call_start_finish (HANGAR_DBUS_MACHINE1 (source), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The machine exists: the window opens it and says why it did not start. */
      message = _hangar_create_wizard_remote_message (error);
      done (self, path, FALSE, message);
      return;
    }
  done (self, path, TRUE, NULL);
}

static void
on_machine_proxy (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HangarCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarDBusMachine1) machine = hangar_dbus_machine1_proxy_new_finish (result, &error);

  if (machine == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        done (self, g_object_get_data (G_OBJECT (self), "machine-path"), FALSE, error->message);
      return;
    }
  hangar_dbus_machine1_call_start (machine, self->cancellable, on_started, g_object_ref (self));
}

static void
on_machine_created (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HangarCreateWizard) self = user_data;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GDBusProxy *host = G_DBUS_PROXY (source);

  if (!hangar_dbus_host1_call_create_machine_finish (HANGAR_DBUS_HOST1 (source), &path,
                                                     result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = _hangar_create_wizard_remote_message (error);
      if (self->image_path != NULL)
        {
          /* Translators: the engine's refusal, then the path of the image made for it */
          g_autofree char *kept = g_strdup_printf (_("%s The new image %s was kept for "
                                                     "the next try."),
                                                   message, self->image_path);

          refuse_on (self, "summary", self->name_error, kept);
        }
      else
        refuse_on (self, "summary", self->name_error, message);
      return;
    }

  if (gtk_switch_get_active (self->customize_switch))
    {
      done (self, path, FALSE, NULL);
      return;
    }

  adw_status_page_set_title (self->progress_page, _("Starting the Machine"));
  g_object_set_data_full (G_OBJECT (self), "machine-path", g_strdup (path), g_free);
  hangar_dbus_machine1_proxy_new (g_dbus_proxy_get_connection (host),
                                  G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                  g_dbus_proxy_get_name (host), path, self->cancellable,
                                  on_machine_proxy, g_object_ref (self));
}

static void
add_string (GVariantBuilder *options,
            const char      *key,
            const char      *value)
{
  if (value != NULL && value[0] != '\0')
    g_variant_builder_add (options, "{sv}", key, g_variant_new_string (value));
}

static void
create_machine (HangarCreateWizard *self)
{
  g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  guint64 memory_kib = (guint64) gtk_spin_button_get_value_as_int (self->memory_spin) * 1024;
  HangarSourceKind source = _hangar_create_wizard_get_source (self);
  const char *disk = NULL;

  add_string (&options, "name", _hangar_create_wizard_text (self->name_entry));
  add_string (&options, "os-id", self->os_id);
  g_variant_builder_add (&options, "{sv}", "memory-kib", g_variant_new_uint64 (memory_kib));
  g_variant_builder_add (&options, "{sv}", "vcpus",
                         g_variant_new_uint32 (gtk_spin_button_get_value_as_int (self->vcpus_spin)));
  switch (source)
    {
    case HANGAR_SOURCE_MEDIA:
      add_string (&options, "install", "cdrom");
      add_string (&options, "media", _hangar_create_wizard_text (self->media_entry));
      break;
    case HANGAR_SOURCE_URL:
      add_string (&options, "install", "url");
      add_string (&options, "url", _hangar_create_wizard_text (self->url_entry));
      add_string (&options, "kernel-args", _hangar_create_wizard_text (self->url_args_entry));
      break;
    case HANGAR_SOURCE_PXE:
      add_string (&options, "install", "pxe");
      break;
    case HANGAR_SOURCE_IMPORT:
      add_string (&options, "install", "import");
      disk = self->image_path != NULL ? self->image_path
                                      : _hangar_create_wizard_text (self->import_entry);
      break;
    case HANGAR_SOURCE_KERNEL:
    default:
      add_string (&options, "install", "kernel");
      add_string (&options, "kernel", _hangar_create_wizard_text (self->kernel_entry));
      add_string (&options, "initrd", _hangar_create_wizard_text (self->initrd_entry));
      add_string (&options, "cmdline", _hangar_create_wizard_text (self->cmdline_entry));
      break;
    }
  if (source != HANGAR_SOURCE_IMPORT)
    {
      switch (_hangar_create_wizard_get_disk (self))
        {
        case HANGAR_DISK_NEW:
          disk = self->image_path;
          break;
        case HANGAR_DISK_EXISTING:
          disk = _hangar_create_wizard_text (self->disk_existing_entry);
          break;
        case HANGAR_DISK_NONE:
        default:
          break;
        }
    }
  add_string (&options, "disk", disk);
  add_string (&options, "firmware", _hangar_create_wizard_firmware (self));
  add_string (&options, "network",
              adw_combo_row_get_selected (self->network_row) == 1 ? "none" : "user");

  _hangar_create_wizard_show_page (self, "progress");
  adw_status_page_set_title (self->progress_page, _("Creating the Machine"));
  gtk_widget_set_visible (self->progress_cancel_button, FALSE);
  hangar_dbus_host1_call_create_machine (self->host, g_variant_builder_end (&options),
                                         self->cancellable, on_machine_created,
                                         g_object_ref (self));
}

void
_hangar_create_wizard_finish (HangarCreateWizard *self)
{
  gboolean needs_image;

  if (_hangar_create_wizard_get_source (self) == HANGAR_SOURCE_IMPORT)
    needs_image = gtk_switch_get_active (self->convert_switch);
  else
    needs_image = _hangar_create_wizard_get_disk (self) == HANGAR_DISK_NEW;

  _hangar_create_wizard_set_busy (self, TRUE);
  gtk_widget_set_sensitive (self->progress_cancel_button, TRUE);
  if (needs_image && self->image_path == NULL)
    create_volume (self);
  else
    create_machine (self);
}
