/* hangar-details-page.c: one page of the details pane: an editor's rows and its buttons
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The frame every hardware page shares: the editor's rows above; below them what
 * the engine said (an error in red, a note such as "Applies after the next
 * shutdown"), Remove for devices, and Revert and Apply, which can be pressed once
 * something was changed. Rows are made by the editors with the helpers at the end:
 * how many a page has depends on the definition it shows.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-details-private.h"

struct _HangarDetailsPage
{
  GtkWidget                  parent_instance;

  HangarDetailsView         *view;      /* not owned: the view owns the page */
  const HangarDetailsEditor *editor;
  char                      *key;
  gpointer                   data;
  GDestroyNotify             data_destroy;
  AdwPreferencesPage        *preferences;
  gboolean                   dirty;
  gboolean                   loading;
  gboolean                   busy;
  gboolean                   invalid;

  /* Template widgets */
  AdwBin                    *content_bin;
  GtkLabel                  *error_label;
  GtkLabel                  *note_label;
  GtkWidget                 *footer;
  GtkWidget                 *footer_separator;
  GtkWidget                 *button_box;
  GtkWidget                 *remove_button;
  GtkWidget                 *revert_button;
  GtkWidget                 *apply_button;
  GtkSpinner                *spinner;
};

G_DEFINE_FINAL_TYPE (HangarDetailsPage, hangar_details_page, GTK_TYPE_WIDGET)

/* The bar under the rows shows when it has something to say or offer. */
static void
update_footer (HangarDetailsPage *self)
{
  gboolean shown = gtk_widget_get_visible (self->button_box) ||
                   gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ||
                   gtk_widget_get_visible (GTK_WIDGET (self->note_label));

  gtk_widget_set_visible (self->footer, shown);
  gtk_widget_set_visible (self->footer_separator, shown);
}

static void
update_buttons (HangarDetailsPage *self)
{
  update_footer (self);
  gtk_widget_set_sensitive (self->apply_button, self->dirty && !self->busy && !self->invalid);
  gtk_widget_set_sensitive (self->revert_button, self->dirty && !self->busy);
  gtk_widget_set_sensitive (self->remove_button, !self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

static void
on_apply_clicked (HangarDetailsPage *self)
{
  _hangar_details_view_apply (self->view, self);
}

static void
on_revert_clicked (HangarDetailsPage *self)
{
  self->dirty = FALSE;
  self->invalid = FALSE;
  hangar_details_page_set_error (self, NULL);
  hangar_details_page_load (self, _hangar_details_view_get_doc (self->view), TRUE);
}

static void
on_remove_clicked (HangarDetailsPage *self)
{
  xmlDoc *doc = _hangar_details_view_get_doc (self->view);
  xmlNode *node = doc != NULL ? hangar_domain_xml_find (doc, self->key) : NULL;

  if (node != NULL)
    _hangar_details_view_confirm_remove (self->view, self, node);
}

static void
hangar_details_page_dispose (GObject *object)
{
  HangarDetailsPage *self = HANGAR_DETAILS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_DETAILS_PAGE);
  /* The template's top box is not bound: GTK does not unparent it. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);
  if (self->data_destroy != NULL)
    g_clear_pointer (&self->data, self->data_destroy);

  G_OBJECT_CLASS (hangar_details_page_parent_class)->dispose (object);
}

static void
hangar_details_page_finalize (GObject *object)
{
  HangarDetailsPage *self = HANGAR_DETAILS_PAGE (object);

  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (hangar_details_page_parent_class)->finalize (object);
}

static void
hangar_details_page_class_init (HangarDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_details_page_dispose;
  object_class->finalize = hangar_details_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               HANGAR_RESOURCE_PATH "/ui/hangar-details-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsPage, content_bin);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsPage, note_label);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsPage, footer);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsPage, footer_separator);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsPage, button_box);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsPage, remove_button);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsPage, revert_button);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsPage, apply_button);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsPage, spinner);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_apply_clicked",
                                                G_CALLBACK (on_apply_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_revert_clicked",
                                                G_CALLBACK (on_revert_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_remove_clicked",
                                                G_CALLBACK (on_remove_clicked));
}

static void
hangar_details_page_init (HangarDetailsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HangarDetailsPage *
hangar_details_page_new (HangarDetailsView         *view,
                         const HangarDetailsEditor *editor,
                         const char                *key)
{
  HangarDetailsPage *self = g_object_new (HANGAR_TYPE_DETAILS_PAGE, NULL);

  self->view = view;
  self->editor = editor;
  self->key = g_strdup (key);
  gtk_widget_set_visible (self->remove_button, editor->removable);
  /* A page that only shows has nothing to apply. */
  gtk_widget_set_visible (self->apply_button, !editor->read_only);
  gtk_widget_set_visible (self->revert_button, !editor->read_only);
  gtk_widget_set_visible (self->button_box, !editor->read_only || editor->removable);
  update_footer (self);
  editor->build (self);
  return self;
}

const char *
hangar_details_page_get_key (HangarDetailsPage *self)
{
  return self->key;
}

const HangarDetailsEditor *
hangar_details_page_get_editor (HangarDetailsPage *self)
{
  return self->editor;
}

HangarDetailsView *
hangar_details_page_get_view (HangarDetailsPage *self)
{
  return self->view;
}

HangarDBusMachine1 *
hangar_details_page_get_machine (HangarDetailsPage *self)
{
  return hangar_details_view_get_machine (self->view);
}

HangarDBusHost1 *
hangar_details_page_get_host (HangarDetailsPage *self)
{
  return _hangar_details_view_get_host (self->view);
}

gpointer
hangar_details_page_get_data (HangarDetailsPage *self)
{
  return self->data;
}

void
hangar_details_page_set_data (HangarDetailsPage *self,
                              gpointer           data,
                              GDestroyNotify     destroy)
{
  self->data = data;
  self->data_destroy = destroy;
}

/**
 * hangar_details_page_load:
 * @force: also when the page has unsaved edits (Revert)
 *
 * Shows @doc, unless a person is editing the page.
 */
void
hangar_details_page_load (HangarDetailsPage *self,
                          xmlDoc            *doc,
                          gboolean           force)
{
  xmlNode *node;

  if (doc == NULL || (self->dirty && !force))
    return;
  node = hangar_domain_xml_find (doc, self->key);
  if (node == NULL)
    return;
  self->loading = TRUE;
  self->editor->load (self, doc, node);
  self->loading = FALSE;
  self->dirty = FALSE;
  self->invalid = FALSE;
  update_buttons (self);
}

/* The machine's properties changed: the editor shows what is not in the definition. */
void
hangar_details_page_sync (HangarDetailsPage *self)
{
  if (self->editor->sync == NULL)
    return;
  self->loading = TRUE;
  self->editor->sync (self);
  self->loading = FALSE;
}

/* A row was edited: Apply and Revert can be pressed. */
void
hangar_details_page_changed (HangarDetailsPage *self)
{
  if (self->loading)
    return;
  self->dirty = TRUE;
  update_buttons (self);
}

gboolean
hangar_details_page_is_dirty (HangarDetailsPage *self)
{
  return self->dirty;
}

gboolean
hangar_details_page_is_loading (HangarDetailsPage *self)
{
  return self->loading;
}

void
hangar_details_page_set_busy (HangarDetailsPage *self,
                              gboolean           busy)
{
  self->busy = busy;
  update_buttons (self);
}

/* Shows what went wrong under the rows; NULL hides it. */
void
hangar_details_page_set_error (HangarDetailsPage *self,
                               const char        *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  update_footer (self);
  if (message != NULL && self->editor->failed != NULL)
    self->editor->failed (self, message);
}

/* A value the engine would refuse: said at once, and Apply waits until it is fixed. */
void
hangar_details_page_set_invalid (HangarDetailsPage *self,
                                 const char        *message)
{
  self->invalid = message != NULL;
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  update_buttons (self);
}

void
hangar_details_page_set_note (HangarDetailsPage *self,
                              const char        *note)
{
  gtk_label_set_text (self->note_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL);
  update_footer (self);
}

/* The engine took the page's edits; @pending: what waits for the next start. */
void
hangar_details_page_applied (HangarDetailsPage  *self,
                             const char * const *pending)
{
  self->dirty = FALSE;
  self->busy = FALSE;
  hangar_details_page_set_error (self, NULL);
  if (pending != NULL && pending[0] != NULL)
    {
      g_autofree char *list = g_strjoinv ("\n", (char **) pending);
      /* Translators: %s lists the changes, one a line. */
      g_autofree char *note = g_strdup_printf (_("Applies after the next shutdown:\n%s"), list);

      hangar_details_page_set_note (self, note);
    }
  else
    hangar_details_page_set_note (self, NULL);
  update_buttons (self);
  if (self->editor->applied != NULL)
    self->editor->applied (self);
}

/* A page that is not a list of rows (the XML editor) puts its own widget there. */
void
hangar_details_page_set_content (HangarDetailsPage *self,
                                 GtkWidget         *content)
{
  adw_bin_set_child (self->content_bin, content);
}

/* ---- rows ---------------------------------------------------------------------- */

AdwPreferencesGroup *
hangar_details_page_add_group (HangarDetailsPage *self,
                               const char        *title,
                               const char        *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  if (self->preferences == NULL)
    {
      self->preferences = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
      adw_bin_set_child (self->content_bin, GTK_WIDGET (self->preferences));
    }
  if (title != NULL)
    adw_preferences_group_set_title (group, title);
  if (description != NULL)
    adw_preferences_group_set_description (group, description);
  adw_preferences_page_add (self->preferences, group);
  return group;
}

/* Enter in a text row applies the page, as it would in a dialog. */
static void
on_entry_activated (HangarDetailsPage *self)
{
  if (gtk_widget_is_sensitive (self->apply_button))
    on_apply_clicked (self);
}

AdwEntryRow *
hangar_details_page_add_entry (HangarDetailsPage   *self,
                               AdwPreferencesGroup *group,
                               const char          *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  g_signal_connect_object (row, "changed", G_CALLBACK (hangar_details_page_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (on_entry_activated), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (group, row);
  return ADW_ENTRY_ROW (row);
}

AdwComboRow *
hangar_details_page_add_combo (HangarDetailsPage   *self,
                               AdwPreferencesGroup *group,
                               const char          *title,
                               const char * const  *labels)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (hangar_details_page_changed),
                           self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (group, row);
  return ADW_COMBO_ROW (row);
}

GtkSpinButton *
hangar_details_page_add_spin (HangarDetailsPage   *self,
                              AdwPreferencesGroup *group,
                              const char          *title,
                              const char          *subtitle,
                              double               lower,
                              double               upper)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  /* Typed text outside the range is clamped, never taken as it is. */
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (spin), GTK_UPDATE_IF_VALID);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (hangar_details_page_changed), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (group, row);
  return GTK_SPIN_BUTTON (spin);
}

GtkSwitch *
hangar_details_page_add_switch (HangarDetailsPage   *self,
                                AdwPreferencesGroup *group,
                                const char          *title,
                                const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *widget = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), widget);
  g_signal_connect_object (widget, "notify::active", G_CALLBACK (hangar_details_page_changed),
                           self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (group, row);
  return GTK_SWITCH (widget);
}

/* A row that shows a value and cannot be edited: the value on the right, dimmed, as
 * GNOME Settings' About page shows its facts. */
AdwActionRow *
hangar_details_page_add_info (HangarDetailsPage   *self,
                              AdwPreferencesGroup *group,
                              const char          *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_xalign (GTK_LABEL (value), 1);
  /* Long values (paths) lose their middle, not their ends; the tooltip has it all. */
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (value, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  g_object_set_data (G_OBJECT (row), "hangar-value", value);
  adw_preferences_group_add (group, row);
  return ADW_ACTION_ROW (row);
}

void
hangar_details_set_info (AdwActionRow *row,
                         const char   *text)
{
  GtkLabel *value = g_object_get_data (G_OBJECT (row), "hangar-value");

  gtk_label_set_text (value, text != NULL && text[0] != '\0' ? text : "—");
  gtk_widget_set_tooltip_text (GTK_WIDGET (value), text != NULL && text[0] != '\0' ? text : NULL);
}

/* Where @value is in @values, 0 when it is not. */
guint
hangar_details_combo_index (const char * const *values,
                            const char         *value)
{
  for (guint i = 0; values[i] != NULL; i++)
    if (g_strcmp0 (values[i], value) == 0)
      return i;
  return 0;
}

/* The row's text, stripped. */
char *
hangar_details_entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}
